import Foundation
import HTTPTypes
import Hummingbird
import PosternCore

/// Builds JSON responses: accepted and duplicate answers, and refusals with their reason code.
enum JSONResponse {
    /// JSON already written, as the body.
    static func body(status: Int, _ json: ByteBuffer, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: json))
    }

    static func make(status: Int, _ document: [String: Any], headers: HTTPFields = [:]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return body(status: status, ByteBuffer(bytes: data), headers: headers)
    }

    /// `{"id":…,"status":…}`, the answer to almost every request, written without a serializer.
    static func status(_ status: Int, _ state: String, id: String) -> Response {
        body(status: status, ByteBuffer(string: "{\"id\":\(JSONText.quoted(id)),\"status\":\(JSONText.quoted(state))}"))
    }

    /// An encodable value as the JSON body (dates in ISO 8601).
    static func encoded(status: Int, _ value: some Encodable) -> Response {
        body(status: status, ByteBuffer(bytes: (try? encoder.encode(value)) ?? Data("{}".utf8)))
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
        let text = "{\"error\":\(JSONText.quoted(refusal.reason.rawValue)),\"message\":\(JSONText.quoted(refusal.message))}"
        return body(status: refusal.reason.status, ByteBuffer(string: text), headers: headers)
    }
}
