import Foundation
import PosternCore

/// OAuth client credentials as Genesys Cloud does them: `POST <login>/oauth/token` with
/// `Authorization: Basic base64(clientId:clientSecret)` and `grant_type=client_credentials`. One token is shared by
/// every delivery, refreshed 60 s before it expires, by one request however many deliveries wait (single flight).
public actor OAuthTokenProvider {
    /// Seconds before expiry at which a token is replaced.
    static let refreshMargin: Double = 60

    private struct Token {
        var value: String
        var expiresAt: Date
    }

    private let settings: GenesysSettings
    private let client: DeliveryClient
    private let clock: WallClock
    private var current: Token?
    private var refreshing: Task<Token, any Error>?

    public init(settings: GenesysSettings, client: DeliveryClient, clock: WallClock = .system) {
        self.settings = settings
        self.client = client
        self.clock = clock
    }

    /// A token good for at least a minute more; throws `TokenFailure` when the login host refuses or fails.
    public func token() async throws -> String {
        if let current, clock.now < current.expiresAt.addingTimeInterval(-Self.refreshMargin) { return current.value }
        if let refreshing { return try await refreshing.value.value }
        let request = Task { try await self.requestToken() }
        refreshing = request
        defer { refreshing = nil }
        let token = try await request.value
        current = token
        return token.value
    }

    /// Forgets a token the API refused (a 401), so the next `token()` asks for a new one.
    public func invalidate(_ value: String) {
        if current?.value == value { current = nil }
    }

    private func requestToken() async throws -> Token {
        let credentials = Data("\(settings.clientId):\(settings.clientSecret)".utf8).base64EncodedString()
        let request = OutgoingRequest(url: settings.tokenURL, headers: [
            ("Authorization", "Basic \(credentials)"), ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/json"),
        ], body: Array("grant_type=client_credentials".utf8))
        let issuedAt = clock.now
        let answer: DeliveryClient.Answer
        do {
            answer = try await client.send(request, timeout: .seconds(10))
        } catch {
            throw TokenFailure(result: AttemptResult(failure: DeliveryClient.failure(error)).tokenWasRefused)
        }
        guard answer.status == 200, case .object(let fields)? = try? JSONParser.parse(answer.body),
              case .string(let value)? = fields["access_token"], !value.isEmpty else {
            throw TokenFailure(result: AttemptResult(
                status: answer.status == 200 ? 502 : answer.status,
                retryAfter: answer.retryAfter.flatMap { RetryAfter.delay($0, now: issuedAt) },
                bodyExcerpt: "OAuth token request refused: " + GenesysErrorText.describe(answer.body)).tokenWasRefused)
        }
        var lifetime = 86_400.0
        if case .number(let seconds)? = fields["expires_in"] { lifetime = seconds.value }
        return Token(value: value, expiresAt: issuedAt.addingTimeInterval(lifetime))
    }
}

/// The login host's refusal, as the attempt's result: a bad client is permanent, a 429 or 5xx is retried.
public struct TokenFailure: Error, Sendable {
    public var result: AttemptResult
}

extension AttemptResult {
    /// The result, marked as the login host's refusal (or failure) of the OAuth client.
    var tokenWasRefused: AttemptResult {
        var marked = self
        marked.tokenRefused = true
        return marked
    }
}

/// The error text in a Genesys answer (`{"error", "error_description"}`, `{"message", "code"}`), never its secrets.
enum GenesysErrorText {
    static func describe(_ body: [UInt8]) -> String {
        guard case .object(let fields)? = try? JSONParser.parse(body) else {
            return String(decoding: body.prefix(200), as: UTF8.self)
        }
        let parts = ["error", "error_description", "description", "code", "message"].compactMap { key -> String? in
            if case .string(let text)? = fields[JSONKey(key)], !text.isEmpty { return text }
            return nil
        }
        return parts.isEmpty ? String(decoding: body.prefix(200), as: UTF8.self) : parts.joined(separator: ": ")
    }
}
