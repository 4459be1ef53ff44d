import PosternCore

/// `{"status": …}` with a message, for `/healthz` and `/readyz` (which adds the loaded configuration's SHA-256).
struct StatusAnswer: Encodable {
    var status: String
    var message: String?
    var configSHA256: String?
}

/// `POST /admin/reload`: the configuration reload's outcome (`reloaded`, or `refused` with its problems),
/// what needs a restart, and the TLS listeners whose files failed to reload (`{listener: reason}`).
struct ReloadAnswer: Encodable {
    var status: String
    var configSHA256: String?
    var needsRestart: [String]?
    var problems: [ConfigReloader.Outcome.Problem]?
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
