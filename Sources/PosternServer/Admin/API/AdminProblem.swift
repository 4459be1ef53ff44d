import Hummingbird

/// Why the admin API cannot do what was asked: a status, a code and words for the operator. The API answers it as
/// `{"error", "message"}`; the console shows the message on the page.
struct AdminProblem: Error {
    var status: Int
    var code: String
    var message: String

    static func invalid(_ message: String) -> AdminProblem { AdminProblem(status: 400, code: "invalid_request", message: message) }
    static func notFound(_ message: String) -> AdminProblem { AdminProblem(status: 404, code: "not_found", message: message) }

    var response: Response { JSONResponse.encoded(status: status, AdminError(error: code, message: message)) }

    /// The answer `body` makes, or this problem's.
    static func answering(_ body: () async throws -> some Encodable) async throws -> Response {
        do {
            return JSONResponse.encoded(status: 200, try await body())
        } catch let problem as AdminProblem {
            return problem.response
        }
    }
}
