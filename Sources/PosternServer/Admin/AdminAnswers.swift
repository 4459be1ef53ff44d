import PosternCore

/// `{"status": …}` with a message, for `/healthz` and `/readyz`.
struct StatusAnswer: Encodable {
    var status: String
    var message: String?
}

/// `{"status": …, "failures": {listener: reason}}`, for TLS reloads.
struct ReloadAnswer: Encodable {
    var status: String
    var failures: [String: String]
}

/// `{"status": "replayed", "queued": n}`.
struct ReplayAnswer: Encodable {
    var status = "replayed"
    var queued: Int
}

/// `{"error": …, "message": …}` for a request the admin API cannot act on.
struct AdminError: Encodable {
    var error = "invalid_request"
    var message: String
}

/// `POST /admin/sources/{name}/verify`: the sample request passed every check.
struct VerifiedSample: Encodable {
    var verdict = "verified"
    var source: String
    var scheme: String
    @AlwaysWritten var secretIndex: Int?
    var idempotencyKey: String
}

/// `POST /admin/sources/{name}/verify`: the sample request was refused, with the answer its sender would get.
struct RefusedSample: Encodable {
    var verdict = "refused"
    var source: String
    var reason: String
    var status: Int
    var message: String
}
