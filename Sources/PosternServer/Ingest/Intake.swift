import Crypto
import Foundation
import PosternCore
import PosternVerify

/// A request that passed every check and is ready to be stored.
public struct CheckedRequest: Sendable {
    public var verification: Verification
    public var idempotencyKey: String
    public var correlationID: String
    /// The fields of a JSON or form body (nil for XML and raw), for answers read from it.
    public var document: JSONValue?
}

/// The checks between a received body and the store: signature, the body's kind, schema, idempotency key.
public enum Intake {
    /// The header carrying a correlation id when the preset names none.
    static let correlationHeader = "X-Correlation-Id"

    /// Runs every check in order and returns the first refusal, or what the store needs.
    public static func check(_ source: Source, _ request: WebhookRequest, now: Date) -> Result<CheckedRequest, Refusal> {
        verify(source, request, now: now).flatMap { parse(source, request, verification: $0) }
    }

    /// The source's verification alone: the signature, token or key, and the timestamp.
    public static func verify(_ source: Source, _ request: WebhookRequest, now: Date) -> Result<Verification, Refusal> {
        switch source.verifier.verifier.verify(request, now: now) {
        case .refused(let failure):
            var refusal = Refusal(failure.reason, failure.message, challenge: failure.challenge)
            refusal.wantsKeyRefresh = failure == .unknownSigningKey
            return .failure(refusal)
        case .verified(let verified): return .success(verified)
        }
    }

    /// What follows a verified request: the body read as its kind, the schema, the idempotency key, the correlation id.
    public static func parse(_ source: Source, _ request: WebhookRequest, verification: Verification) -> Result<CheckedRequest, Refusal> {
        let (body, headers) = (request.body, request.headers)
        let document: JSONValue?
        do {
            document = try source.config.body.read(body)
        } catch {
            return .failure(Refusal(error.reason, error.message))
        }
        if let schema = source.schema, let document {
            do {
                try schema.validate(document)
            } catch {
                return .failure(Refusal(.schemaViolation, "\(error.pointer.isEmpty ? "/" : error.pointer): \(error.message)"))
            }
        }
        return idempotencyKey(source.idempotencyKey, document: document, body: body, headers: headers, verification: verification)
            .map { key in
                CheckedRequest(verification: verification, idempotencyKey: key,
                               correlationID: correlationID(source, headers, document: document), document: document)
            }
    }

    static func idempotencyKey(_ rule: IdempotencyKeyRule, document: JSONValue?, body: [UInt8], headers: RequestHeaders,
                               verification: Verification) -> Result<String, Refusal> {
        switch rule {
        case .body(let pointer):
            guard let key = document?.value(at: pointer)?.keyText else {
                return .failure(Refusal(.schemaViolation, "\(pointer) is required (a non-empty string or integer): it is this source's idempotency key"))
            }
            return .success(key)
        case .header(let name):
            guard let key = headers[name], !key.isEmpty else {
                return .failure(Refusal(.schemaViolation, "the \(name) header is required: it is this source's idempotency key"))
            }
            return .success(key)
        case .signature:
            return .success("sig:" + (verification.signatureDigest ?? ""))
        case .bodyDigest:
            return .success("sha256:" + ByteEncoding.hex.encode(SHA256.hash(data: body)))
        case .unkeyed:
            return .success("none:" + UUID().lowercasedString)
        }
    }

    /// The sender's correlation id: its preset's header, else its preset's body field, else `X-Correlation-Id`, else new.
    static func correlationID(_ source: Source, _ headers: RequestHeaders, document: JSONValue?) -> String {
        var field: String?
        if let pointer = source.verifier.preset.correlationField, case .string(let text)? = document?.value(at: pointer) {
            field = text
        }
        let sent = source.verifier.correlationHeader.flatMap { headers[$0] } ?? field ?? headers[correlationHeader]
        if let sent, !sent.isEmpty, sent.utf8.count <= 200 { return sent }
        return UUID().lowercasedString
    }

    /// The names (lower case) of the received headers worth keeping with a source's events: never credentials or
    /// signatures. Computed once per source.
    static func keptHeaderNames(_ verifier: SourceVerifier, idempotencyKey: IdempotencyKeyRule,
                                routes: [String: RouteFilter] = [:], orderings: [DeliveryOrdering] = []) -> Set<String> {
        var kept: Set<String> = [
            "content-type", "content-encoding", "user-agent", "traceparent", "tracestate", "x-request-id",
            correlationHeader.lowercased(), "webhook-id", "webhook-timestamp", "x-github-event", "x-github-delivery",
        ]
        if let header = verifier.correlationHeader { kept.insert(header.lowercased()) }
        if case .header(let name)? = verifier.descriptor?.timestamp { kept.insert(name.lowercased()) }
        if case .header(let name) = idempotencyKey { kept.insert(name.lowercased()) }
        // Headers that routes and ordering keys read, but never a credential.
        var credentials: Set<String> = ["authorization", "cookie", "x-api-key", "x-amz-security-token"]
        if case .apiKey(let header, _) = verifier.config.secrets { credentials.insert(header.lowercased()) }
        kept.formUnion((routes.values.flatMap(\.headerNames) + orderings.compactMap(\.headerName)).filter { !credentials.contains($0) })
        if let signature = verifier.descriptor?.header { kept.remove(signature.lowercased()) }
        return kept
    }
}
