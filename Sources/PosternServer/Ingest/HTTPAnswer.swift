import HTTPTypes
import Hummingbird
import NIOCore
import PosternCore

/// An answer as the webhook listener writes it: a status, headers and a body already in bytes. The listener's
/// channel handler writes it as it is; the admin listener turns it into a Hummingbird `Response`.
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var headers: HTTPFields
    public var body: ByteBuffer

    public init(status: Int, headers: HTTPFields = [:], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// JSON already written, as the body.
    static func json(status: Int, _ json: ByteBuffer, headers: HTTPFields = [:]) -> HTTPAnswer {
        var fields = headers
        fields[.contentType] = "application/json"
        return HTTPAnswer(status: status, headers: fields, body: json)
    }

    /// `{"id":…,"status":…}`, the answer to almost every request, written by hand: the request path's answers and
    /// refusals without Foundation took a 404 refusal from 72 to 57 µs of server CPU (docs/performance.md).
    static func status(_ status: Int, _ state: String, id: String) -> HTTPAnswer {
        json(status: status, ByteBuffer(string: "{\"id\":\(JSONText.quoted(id)),\"status\":\(JSONText.quoted(state))}"))
    }

    /// `{"error":…,"message":…}`, written by hand like `status`: floods of refusals must stay cheap.
    static func refusal(_ refusal: Refusal) -> HTTPAnswer {
        var headers: HTTPFields = [:]
        if let seconds = refusal.retryAfter { headers[.retryAfter] = String(seconds) }
        if refusal.reason == .methodNotAllowed { headers[.allow] = "POST" }
        if let challenge = refusal.challenge { headers[.wwwAuthenticate] = challenge }
        let text = "{\"error\":\(JSONText.quoted(refusal.reason.rawValue)),\"message\":\(JSONText.quoted(refusal.message))}"
        return json(status: refusal.reason.status, ByteBuffer(string: text), headers: headers)
    }

    var response: Response {
        Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: body))
    }
}
