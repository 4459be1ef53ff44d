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

    /// Creates an Open Messaging integration whose outbound notifications go to `webhookURL`, signed with `secret`;
    /// returns the integration as Genesys answers it (with its `id`).
    public func createOpenMessagingIntegration(name: String, webhookURL: String, secret: String) async throws -> JSONValue {
        let body = NewIntegration(name: name, outboundNotificationWebhookUrl: webhookURL,
                                  outboundNotificationWebhookSignatureSecretToken: secret)
        return try await call("POST", Self.integrations, body: JSONOutput.encode(body), permission: "messaging:integration:add")
    }

    /// The body of `POST /api/v2/conversations/messaging/integrations/open`.
    struct NewIntegration: Encodable {
        var name: String
        var outboundNotificationWebhookUrl: String
        var outboundNotificationWebhookSignatureSecretToken: String
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
