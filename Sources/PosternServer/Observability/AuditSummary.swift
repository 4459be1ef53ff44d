import Foundation
import PosternCore
import Synchronization

/// Per-source counts of verified and refused requests since start, for `GET /admin/audit/summary`.
public final class AuditSummary: Sendable {
    struct Tally {
        var verified = 0
        var refused = 0
        var lastRefusal: LastRefusal?
    }

    private let tallies = Mutex<[String: Tally]>([:])

    public init() {}

    public func record(source: String, reason: ReasonCode, at time: Date) {
        tallies.withLock { tallies in
            if reason.isSuccess {
                tallies[source, default: Tally()].verified += 1
            } else {
                tallies[source, default: Tally()].refused += 1
                tallies[source]!.lastRefusal = LastRefusal(reason: reason.rawValue, at: time)
            }
        }
    }

    /// The summary document: counts and the security posture of every source.
    struct Document: Encodable {
        var generatedAt: Date
        var sources: [Entry]
    }

    /// One source's counts since start, and its posture.
    struct Entry: Encodable {
        var source: String
        var verified: Int
        var refused: Int
        @AlwaysWritten var successRate: Double?
        @AlwaysWritten var lastRefusal: LastRefusal?
        var posture: Posture
    }

    struct LastRefusal: Encodable {
        var reason: String
        var at: Date
    }

    /// How a source is guarded, as configured.
    struct Posture: Encodable {
        var scheme: String
        var verification: String
        @AlwaysWritten var toleranceSeconds: Int?
        var replayProtection: String
        @AlwaysWritten var timestampSigned: Bool?
        var maxBodyBytes: Int
        var allowIPs: [String]
        @AlwaysWritten var rateLimit: RateLimit?
        var clientCertificate: String
    }

    func document(for sources: [Source], now: Date = Date()) -> Document {
        let tallies = tallies.withLock { $0 }
        return Document(generatedAt: now, sources: sources.map { source in
            let tally = tallies[source.name] ?? Tally()
            let total = tally.verified + tally.refused
            return Entry(source: source.name, verified: tally.verified, refused: tally.refused,
                         successRate: total == 0 ? nil : Double(tally.verified) / Double(total),
                         lastRefusal: tally.lastRefusal, posture: Self.posture(of: source))
        })
    }

    /// What refuses a resent request: the timestamp window only where the signature covers the timestamp.
    static func replayProtection(of source: Source) -> String {
        let dedup = "idempotency key \(source.idempotencyKey)"
        switch (source.verifier.timestampIsSigned, source.verifier.tolerance) {
        case (true?, let tolerance?):
            return dedup + " within a \(tolerance) s timestamp window"
        case (false?, _):
            return dedup + " only: the timestamp is not signed, so its window does not stop a resent capture,"
                + " and the dedup ends when retention prunes the event"
        default:
            return dedup
        }
    }

    static func posture(of source: Source) -> Posture {
        Posture(scheme: source.verifier.presetName, verification: source.verifier.summary,
                toleranceSeconds: source.verifier.tolerance, replayProtection: replayProtection(of: source),
                timestampSigned: source.verifier.timestampIsSigned, maxBodyBytes: source.maxBodyBytes,
                allowIPs: source.config.allowIPs.map(\.description), rateLimit: source.rateLimit,
                clientCertificate: source.config.requiresClientCertificate ? "required" : "optional")
    }
}
