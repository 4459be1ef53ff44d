import Foundation
import HTTPTypes
import Hummingbird
import PosternCore

/// Builds JSON responses: accepted and duplicate answers, and refusals with their reason code.
enum JSONResponse {
    static func make(status: Int, _ document: [String: Any], headers: HTTPFields = [:]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `{"id":…,"status":…}`, the answer to almost every request, written without a serializer.
    static func status(_ status: Int, _ state: String, id: String) -> Response {
        let text = "{\"id\":\(JSONText.quoted(id)),\"status\":\(JSONText.quoted(state))}"
        return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// An encodable value as the JSON body (dates in ISO 8601).
    static func encoded(status: Int, _ value: some Encodable) -> Response {
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// `{"error":…,"message":…}`, written without a serializer: floods of refusals must stay cheap.
    static func refusal(_ refusal: Refusal) -> Response {
        var headers: HTTPFields = [:]
        if let seconds = refusal.retryAfter { headers[.retryAfter] = String(seconds) }
        if refusal.reason == .methodNotAllowed { headers[.allow] = "POST" }
        headers[.contentType] = "application/json"
        let text = "{\"error\":\(JSONText.quoted(refusal.reason.rawValue)),\"message\":\(JSONText.quoted(refusal.message))}"
        return Response(status: .init(code: refusal.reason.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
