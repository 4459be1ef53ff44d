import HTTPTypes
import Hummingbird
import PosternCore

/// JSON answers of the admin listener, as Hummingbird responses: encoded documents, and refusals with their
/// reason code written as the webhook listener writes them (`HTTPAnswer`).
enum JSONResponse {
    /// JSON already written, as the body.
    static func body(status: Int, _ json: ByteBuffer, headers: HTTPFields = [:]) -> Response {
        HTTPAnswer.json(status: status, json, headers: headers).response
    }

    /// An admin answer, encoded by `JSONOutput`.
    static func encoded(status: Int, _ value: some Encodable) -> Response {
        body(status: status, ByteBuffer(bytes: JSONOutput.encode(value)))
    }

    static func refusal(_ refusal: Refusal) -> Response {
        HTTPAnswer.refusal(refusal).response
    }
}
