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
        case none

        /// The keys of the `verify` section this method reads, besides `preset`.
        var keys: Set<String> {
            switch self {
            case .hmac: ["secrets", "tolerance"]
            case .basic: ["credentials"]
            case .bearer: ["secrets"]
            case .apiKey: ["header", "secrets"]
            case .sigv4: ["credentials", "region", "service", "tolerance", "normalizePath", "unsignedPayload"]
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
    /// The body limit a source gets when it sets none.
    public let maxBodyBytes: Int?
    /// The rate limit a source gets when it sets none.
    public let rateLimit: RateLimit?

    init(_ name: String, _ method: Method, idempotencyKey: IdempotencyKeyRule? = nil, correlationHeader: String? = nil,
         maxBodyBytes: Int? = nil, rateLimit: RateLimit? = nil) {
        self.name = name
        self.method = method
        self.idempotencyKey = idempotencyKey
        self.correlationHeader = correlationHeader
        self.maxBodyBytes = maxBodyBytes
        self.rateLimit = rateLimit
    }

    /// The Standard Webhooks convention (standardwebhooks.com), which delivery also signs with.
    public static let standardWebhooks = HMACDescriptor(
        header: "webhook-signature", prefix: "v1,", delimiter: " ", encoding: .base64, secretEncoding: .base64,
        signedContent: .idDotTimestampDotBody, timestamp: .header("webhook-timestamp"), timestampFormat: .unix,
        idHeader: "webhook-id", tolerance: 300)

    /// Every preset, by name, as the README's preset table lists them.
    public static let all: [String: Preset] = Dictionary(uniqueKeysWithValues: catalog.map { ($0.name, $0) })

    /// Every preset, in the order the documentation lists them.
    public static let catalog: [Preset] = [
        Preset("cognigy-webhook", .hmac(HMACDescriptor(
            header: "X-Cognigy-Webhook-Signature", encoding: .hex,
            timestamp: .header("X-Cognigy-Webhook-Timestamp"), timestampFormat: .rfc3339, tolerance: 300)),
            correlationHeader: "X-Cognigy-CorrelationId"),
        Preset("cognigy-fulfillment", .hmac(HMACDescriptor(
            header: "X-Cognigy-Signature", encoding: .base64,
            timestamp: .header("X-Cognigy-Timestamp"), timestampFormat: .unix, tolerance: 30))),
        Preset("genesys-hmac", .hmac(HMACDescriptor(
            header: "X-Genesys-Signature", encoding: .base64,
            timestamp: .header("X-Genesys-Timestamp"), timestampFormat: .unixMilliseconds, tolerance: 300)),
            rateLimit: RateLimit(perSecond: 15, burst: 20)),
        // Genesys Cloud Open Messaging outbound webhooks: base64, unlike GitHub's hex under the same header name.
        Preset("genesys-open-messaging", .hmac(HMACDescriptor(
            header: "X-Hub-Signature-256", prefix: "sha256=", encoding: .base64)),
            idempotencyKey: .body(pointer: "/id")),
        Preset("standard-webhooks", .hmac(standardWebhooks), idempotencyKey: .header(name: "webhook-id")),
        // Stripe uses the whole whsec_ string as raw UTF-8 key bytes, unlike Standard Webhooks.
        Preset("stripe", .hmac(HMACDescriptor(
            header: "Stripe-Signature", prefix: "v1=", delimiter: ",", encoding: .hex, secretEncoding: .raw,
            signedContent: .timestampDotBody, timestamp: .signatureItem(prefix: "t="), tolerance: 300)),
            idempotencyKey: .body(pointer: "/id")),
        // GitHub signs the body only: X-GitHub-Delivery is not signed, so a resent capture with a fresh one would
        // pass as new. The signature, which no one can change without the secret, is the key.
        Preset("github", .hmac(HMACDescriptor(header: "X-Hub-Signature-256", prefix: "sha256=", encoding: .hex))),
        Preset("jambonz", .hmac(HMACDescriptor(
            header: "Jambonz-Signature", prefix: "v1=", delimiter: ",", encoding: .hex,
            signedContent: .timestampDotBody, timestamp: .signatureItem(prefix: "t="), tolerance: 300))),
        // The CXone tutorial's convention: API Gateway-style SigV4 with a 15-minute window and a 1 MiB limit.
        Preset("cxone-sigv4", .sigv4(service: "execute-api", tolerance: 900),
            idempotencyKey: .body(pointer: "/eventId"), maxBodyBytes: 1_048_576),
        Preset("aws-sigv4", .sigv4(service: nil, tolerance: 300)),
        Preset("basic", .basic),
        Preset("bearer", .bearer),
        Preset("api-key", .apiKey),
        Preset("none", .none),
    ]
}
