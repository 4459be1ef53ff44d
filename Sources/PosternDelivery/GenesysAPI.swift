import Foundation
import PosternCore

/// The Genesys Cloud Platform API calls that `postern genesys` makes with a destination's OAuth client:
/// creating and reading Open Messaging integrations.
public struct GenesysAPI: Sendable {
    /// The path of Open Messaging integrations.
    static let integrations = "/api/v2/conversations/messaging/integrations/open"

    let settings: GenesysSettings
    let client: DeliveryClient
    let tokens: OAuthTokenProvider

    public init(settings: GenesysSettings, client: DeliveryClient) {
        self.settings = settings
        self.client = client
        self.tokens = OAuthTokenProvider(settings: settings, client: client)
    }

    /// A refused or failed call, in words: the status, Genesys' own message, and the permission a 403 needs.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Creates an Open Messaging integration whose outbound notifications go to `webhookURL`, signed with `secret`
    /// and carrying `headers`, and waits until Genesys has finished creating it; returns the integration as Genesys
    /// then shows it.
    public func createOpenMessagingIntegration(name: String, webhookURL: String, secret: String,
                                               headers: [String: String] = [:], pollInterval: Duration = .seconds(1)) async throws -> JSONValue {
        let body = NewIntegration(name: name, outboundNotificationWebhookUrl: webhookURL,
                                  outboundNotificationWebhookSignatureSecretToken: secret,
                                  webhookHeaders: headers.isEmpty ? nil : headers)
        let created = try await call("POST", Self.integrations, body: JSONOutput.encode(body), permission: "messaging:integration:add")
        guard case .string(let id)? = created.value(at: "/id") else {
            throw Failure(description: "Genesys answered the creation without an integration id")
        }
        return try await waitUntilCreated(id: id, interval: pollInterval)
    }

    /// The body of `POST /api/v2/conversations/messaging/integrations/open` (`OpenIntegrationRequest`).
    struct NewIntegration: Encodable {
        var name: String
        var outboundNotificationWebhookUrl: String
        var outboundNotificationWebhookSignatureSecretToken: String
        var webhookHeaders: [String: String]?
    }

    /// Reads the integration until its `createStatus` is no longer `Initiated` (Genesys creates it asynchronously),
    /// every `interval`, for at most `limit`; returns it once `Completed`, and throws Genesys' `createError` on `Error`.
    func waitUntilCreated(id: String, interval: Duration = .seconds(1), limit: Duration = .seconds(60)) async throws -> JSONValue {
        let deadline = ContinuousClock.now + limit
        while true {
            let integration = try await openMessagingIntegration(id: id)
            switch integration.value(at: "/createStatus") {
            case .string("Error")?:
                let error = integration.value(at: "/createError").map { GenesysErrorText.describe(Array($0.jsonText.utf8)) } ?? "no createError given"
                throw Failure(description: "Genesys could not create integration \(id): \(error)")
            case .string("Initiated")? where ContinuousClock.now < deadline:
                try await Task.sleep(for: interval)
            case .string("Initiated")?:
                throw Failure(description: "integration \(id) is still being created after \(Int(limit.seconds)) s; check it with postern genesys status")
            default:
                return integration
            }
        }
    }

    /// The integration with this id.
    public func openMessagingIntegration(id: String) async throws -> JSONValue {
        try await call("GET", "\(Self.integrations)/\(id)", body: [], permission: "messaging:integration:view")
    }

    private func call(_ method: String, _ path: String, body: [UInt8], permission: String) async throws -> JSONValue {
        let token: String
        do {
            token = try await tokens.token()
        } catch let failure as TokenFailure {
            throw Failure(description: "the OAuth client was refused: \(failure.result.summary) \(failure.result.bodyExcerpt ?? "")")
        }
        let request = OutgoingRequest(method: method, url: settings.apiBase + path, headers: [
            ("Authorization", "Bearer \(token)"), ("Content-Type", "application/json"), ("Accept", "application/json"),
        ], body: body)
        let answer = try await client.send(request, timeout: .seconds(30))
        switch answer.status {
        case 200..<300:
            return (try? JSONParser.parse(answer.body)) ?? .object([:])
        case 403:
            throw Failure(description: "403 Forbidden: the OAuth client's role needs the permission \(permission) (Genesys says: \(GenesysErrorText.describe(answer.body)))")
        default:
            throw Failure(description: "\(method) \(path) answered \(answer.status): \(GenesysErrorText.describe(answer.body))")
        }
    }
}
