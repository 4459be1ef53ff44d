import Foundation
import PosternCore
import PosternVerify

/// Makes every request the load generator sends: a 1 KiB JSON body with a fresh event id, signed for the preset with
/// a fresh timestamp, as the sender itself would (`seed001`: a Cognigy flow event, `seed002`: a fulfillment request).
struct SignedRequests: Sendable {
    enum Style: String, Sendable {
        case seed001
        case seed002
    }

    let style: Style
    let signer: HMACSigner?
    let key: [UInt8]
    let bodyBytes: Int

    init(preset: String, secret: String, style: Style, bodyBytes: Int = 1024) throws {
        self.style = style
        self.bodyBytes = bodyBytes
        switch Preset.all[preset]?.method {
        case .hmac(let descriptor)?:
            guard let key = descriptor.keyBytes(for: secret) else { throw LoadError("the secret does not fit \(preset)") }
            self.signer = HMACSigner(descriptor: descriptor)
            self.key = key
        case .none?:
            self.signer = nil
            self.key = []
        default:
            throw LoadError("postern-loadtest signs HMAC presets (or none); \(preset) is not one")
        }
    }

    /// The headers and body of the next request.
    func next(now: Date) -> (headers: [(name: String, value: String)], body: [UInt8]) {
        let id = UUID().uuidString.lowercased()
        var text: String
        switch style {
        case .seed001:
            text = #"{"event_id":"evt-\#(id)","flow_name":"Order Status Inquiry - Main Flow","channel":"webchat","timestamp":"\#(now.formatted(.iso8601))","session_id":"sess-\#(id)","payload_data":{"userId":"user-1","inputText":"where is my order 4711-0815?","intent":"order.status","notes":"PAD"}}"#
        case .seed002:
            text = #"{"requestId":"\#(id)","userId":"user-1","sessionId":"sess-\#(id)","language":"en-US","payload":[{"type":"text","value":"I want to change the delivery address of order 4711-0815"}],"context":{"channel":"webchat","notes":"PAD"}}"#
        }
        text = text.replacingOccurrences(of: "PAD", with: String(repeating: "x", count: max(0, bodyBytes - text.utf8.count + 3)))
        let body = Array(text.utf8)
        let headers = signer?.headers(body: body, keyBytes: key, timestamp: now, id: "msg_\(id)") ?? []
        return ([("Content-Type", "application/json")] + headers, body)
    }
}

/// A load generator error, in words.
struct LoadError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
