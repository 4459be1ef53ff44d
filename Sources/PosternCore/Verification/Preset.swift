/// A named sender convention: how its requests are verified, and the defaults it brings to a source.
public struct Preset: Sendable {
    /// What kind of verification the preset performs.
    public enum Method: Sendable {
        case hmac(HMACDescriptor)
        case basic
        case bearer
        case apiKey
        /// AWS Signature Version 4; the service when the preset fixes one, and the default tolerance.
        case sigv4(service: String?, tolerance: Int)
        /// `Authorization: Bearer <JWT>` issued by Postern's own token endpoint (`oauth:`).
        case oauth
        /// `Authorization: Bearer <JWT>` from an external identity provider, checked against its JWKS.
        case jwt
        case none

        /// The keys of the `verify` section this method reads, besides `preset`.
        var keys: Set<String> {
            switch self {
            case .hmac: ["secrets", "tolerance", "futureTolerance"]
            case .basic: ["credentials"]
            case .bearer: ["secrets", "scheme"]
            case .apiKey: ["header", "secrets"]
            case .sigv4: ["credentials", "region", "service", "tolerance", "futureTolerance", "normalizePath", "unsignedPayload"]
            case .oauth: ["scopes", "clients", "leeway"]
            case .jwt: ["issuer", "audience", "jwksUrl", "jwksCA", "jwksCache", "scopes", "clients", "leeway"]
            case .none: []
            }
        }
    }

    public let name: String
    public let method: Method
    /// The idempotency key a source gets when it names none.
    public let idempotencyKey: IdempotencyKeyRule?
    /// The header carrying the sender's correlation id.
    public let correlationHeader: String?
    /// The body field (a JSON pointer) carrying the sender's correlation id, when no header does.
    public let correlationField: String?
    /// The body kind a source gets when it names none.
    public let body: BodyKind?
    /// The schema (built in) a source gets when it names none.
    public let schema: String?
    /// Whether no vendor documents the preset: it mirrors a published tutorial's convention, and `check` says so.
    public let isTutorialConvention: Bool
    /// The vendor page that documents the preset, for `check` and the docs.
    public let reference: String?
    /// The only statuses the sender takes as success, when any other breaks its conversation (Genesys Open Messaging
    /// drops the customer's message; jambonz counts 200, 202 and 204 only): such a source never answers 409, and an
    /// answer template keeps to these.
    public let successStatuses: [Int]?
    /// The body limit a source gets when it sets none.
    public let maxBodyBytes: Int?
    /// The rate limit a source gets when it sets none.
    public let rateLimit: RateLimit?

    init(_ name: String, _ method: Method, idempotencyKey: IdempotencyKeyRule? = nil, correlationHeader: String? = nil,
         correlationField: String? = nil, body: BodyKind? = nil, schema: String? = nil, maxBodyBytes: Int? = nil,
         rateLimit: RateLimit? = nil, tutorial: Bool = false, reference: String? = nil, successStatuses: [Int]? = nil) {
        self.name = name
        self.method = method
        self.idempotencyKey = idempotencyKey
        self.correlationHeader = correlationHeader
        self.correlationField = correlationField
        self.body = body
        self.schema = schema
        self.isTutorialConvention = tutorial
        self.reference = reference
        self.successStatuses = successStatuses
        self.maxBodyBytes = maxBodyBytes
        self.rateLimit = rateLimit
    }

    /// The Standard Webhooks convention (standardwebhooks.com), which delivery also signs with: `v1,` HMAC-SHA256
    /// signatures with `whsec_` secrets, and `v1a,` ed25519 signatures with `whpk_` public keys.
    public static let standardWebhooks = HMACDescriptor(
        header: "webhook-signature", prefix: "v1,", delimiter: " ", encoding: .base64, secretEncoding: .base64,
        signedContent: .idDotTimestampDotBody, timestamp: .header("webhook-timestamp"), timestampFormat: .unix,
        idHeader: "webhook-id", tolerance: 300, publicKeyPrefix: "v1a,")

    /// Standard Webhooks as Svix sends it (Clerk, Resend and others): the same scheme under `svix-` headers.
    public static let svix = HMACDescriptor(
        header: "svix-signature", prefix: "v1,", delimiter: " ", encoding: .base64, secretEncoding: .base64,
        signedContent: .idDotTimestampDotBody, timestamp: .header("svix-timestamp"), timestampFormat: .unix,
        idHeader: "svix-id", tolerance: 300, publicKeyPrefix: "v1a,")

    /// The Cognigy HTTP Request node's authentication types (Basic, OAuth2, `Authorization: ApiKey`, `X-API-Key`),
    /// what a call from a Cognigy flow carries.
    static let httpRequestNode = "https://docs.cognigy.com/ai/build/node-reference/service/http-request/"

    /// Every preset, by name, as the README's preset table lists them.
    public static let all: [String: Preset] = Dictionary(uniqueKeysWithValues: catalog.map { ($0.name, $0) })

    /// Every preset, in the order the documentation lists them: the vendors' documented mechanisms first, then the
    /// tutorials' conventions, which no vendor documents.
    public static let catalog: [Preset] = [
        // Genesys Cloud Open Messaging outbound webhooks: base64, unlike GitHub's hex under the same header name.
        Preset("genesys-open-messaging", .hmac(HMACDescriptor(
            header: "X-Hub-Signature-256", prefix: "sha256=", encoding: .base64)),
            idempotencyKey: .body(pointer: "/id"),
            reference: "https://developer.genesys.cloud/commdigital/digital/openmessaging/validate.html",
            successStatuses: [200, 201, 202, 204]),
        Preset("jambonz", .hmac(HMACDescriptor(
            header: "Jambonz-Signature", prefix: "v1=", delimiter: ",", encoding: .hex,
            signedContent: .timestampDotBody, timestamp: .signatureItem(prefix: "t="), tolerance: 300)),
            reference: "https://github.com/jambonz/jambonz-feature-server/blob/main/lib/utils/base-requestor.js",
            successStatuses: [200, 202, 204]),
        // The Cognigy Webhook Endpoint posts the flow's outputs with the Basic credentials set on the endpoint; two
        // identical outputs (the bot saying "Yes" twice) are two messages, so nothing is keyed by default.
        Preset("cognigy-endpoint", .basic, idempotencyKey: .unkeyed, correlationField: "/sessionId",
            schema: "cognigy-endpoint-output",
            reference: "https://docs.cognigy.com/ai/agents/deploy/endpoint-reference/webhook"),
        // CXone Mpower Expert: hex HMAC-SHA256 of "<X-Nexus-Timestamp>.<body>", XML bodies, a delivery id per event.
        Preset("cxone-expert", .hmac(HMACDescriptor(
            header: "X-Nexus-Signature-256", prefix: "sha256=", encoding: .hex, signedContent: .timestampDotBody,
            timestamp: .header("X-Nexus-Timestamp"), timestampFormat: .unix, tolerance: 300)),
            idempotencyKey: .header(name: "X-Nexus-Delivery-Id"), body: .xml,
            reference: "https://expert-help.nice.com/Manage/Content_Maintenance/Subscriptions_and_Notifications/Webhooks/Webhook_integration_guide"),
        Preset("standard-webhooks", .hmac(standardWebhooks), idempotencyKey: .header(name: "webhook-id"),
            reference: "https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md"),
        Preset("svix", .hmac(svix), idempotencyKey: .header(name: "svix-id"),
            reference: "https://docs.svix.com/receiving/verifying-payloads/how-manual"),
        // Stripe uses the whole whsec_ string as raw UTF-8 key bytes, unlike Standard Webhooks.
        Preset("stripe", .hmac(HMACDescriptor(
            header: "Stripe-Signature", prefix: "v1=", delimiter: ",", encoding: .hex, secretEncoding: .raw,
            signedContent: .timestampDotBody, timestamp: .signatureItem(prefix: "t="), tolerance: 300)),
            idempotencyKey: .body(pointer: "/id"), reference: "https://docs.stripe.com/webhooks#verify-manually"),
        // GitHub signs the body only: X-GitHub-Delivery is not signed, so a resent capture with a fresh one would
        // pass as new. The signature, which no one can change without the secret, is the key.
        Preset("github", .hmac(HMACDescriptor(header: "X-Hub-Signature-256", prefix: "sha256=", encoding: .hex)),
            reference: "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries"),
        Preset("aws-sigv4", .sigv4(service: nil, tolerance: 300),
            reference: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html"),
        Preset("basic", .basic, reference: httpRequestNode),
        Preset("bearer", .bearer, reference: httpRequestNode),
        Preset("api-key", .apiKey, reference: httpRequestNode),
        Preset("oauth", .oauth, reference: "https://www.rfc-editor.org/rfc/rfc6749#section-4.4"),
        Preset("jwt", .jwt, reference: "https://www.rfc-editor.org/rfc/rfc9068"),
        Preset("none", .none),
        // The tutorials' conventions (../shared/seeds): kept because configurations use them, labelled because no
        // vendor documents them.
        Preset("cognigy-webhook", .hmac(HMACDescriptor(
            header: "X-Cognigy-Webhook-Signature", encoding: .hex,
            timestamp: .header("X-Cognigy-Webhook-Timestamp"), timestampFormat: .rfc3339, tolerance: 300)),
            correlationHeader: "X-Cognigy-CorrelationId", tutorial: true),
        Preset("cognigy-fulfillment", .hmac(HMACDescriptor(
            header: "X-Cognigy-Signature", encoding: .base64,
            timestamp: .header("X-Cognigy-Timestamp"), timestampFormat: .unix, tolerance: 30)), tutorial: true),
        Preset("genesys-hmac", .hmac(HMACDescriptor(
            header: "X-Genesys-Signature", encoding: .base64,
            timestamp: .header("X-Genesys-Timestamp"), timestampFormat: .unixMilliseconds, tolerance: 300)),
            rateLimit: RateLimit(perSecond: 15, burst: 20), tutorial: true),
        // API Gateway-style SigV4 with a 15-minute window and a 1 MiB limit.
        Preset("cxone-sigv4", .sigv4(service: "execute-api", tolerance: 900),
            idempotencyKey: .body(pointer: "/eventId"), maxBodyBytes: 1_048_576, tutorial: true),
    ]
}
