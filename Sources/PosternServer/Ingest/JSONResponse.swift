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

    /// `{"id":…,"status":…}`, the answer to almost every request, written by hand: the request path's answers and
    /// refusals without Foundation took a 404 refusal from 72 to 57 µs of server CPU (docs/performance.md).
    static func status(_ status: Int, _ state: String, id: String) -> Response {
        body(status: status, ByteBuffer(string: "{\"id\":\(JSONText.quoted(id)),\"status\":\(JSONText.quoted(state))}"))
    }

    /// An admin answer, encoded by `JSONOutput`.
    static func encoded(status: Int, _ value: some Encodable) -> Response {
        body(status: status, ByteBuffer(bytes: JSONOutput.encode(value)))
    }

    /// `{"error":…,"message":…}`, written by hand like `status`: floods of refusals must stay cheap.
    static func refusal(_ refusal: Refusal) -> Response {
        var headers: HTTPFields = [:]
        if let seconds = refusal.retryAfter { headers[.retryAfter] = String(seconds) }
        if refusal.reason == .methodNotAllowed { headers[.allow] = "POST" }
        let text = "{\"error\":\(JSONText.quoted(refusal.reason.rawValue)),\"message\":\(JSONText.quoted(refusal.message))}"
        return body(status: refusal.reason.status, ByteBuffer(string: text), headers: headers)
    }
}
