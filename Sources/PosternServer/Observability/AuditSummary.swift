import Foundation
import PosternCore
import Synchronization

/// Per-source counts of verified and refused requests since start, for `GET /admin/audit/summary`.
public final class AuditSummary: Sendable {
    struct Tally {
        var verified = 0
        var refused = 0
        var lastRefusalReason: String?
        var lastRefusalAt: Date?
    }

    private let tallies = Mutex<[String: Tally]>([:])

    public init() {}

    public func record(source: String, reason: ReasonCode, at time: Date) {
        tallies.withLock { tallies in
            if reason.isSuccess {
                tallies[source, default: Tally()].verified += 1
            } else {
                tallies[source, default: Tally()].refused += 1
                tallies[source]!.lastRefusalReason = reason.rawValue
                tallies[source]!.lastRefusalAt = time
            }
        }
    }

    /// The summary document: counts and the security posture of every source.
    public func document(for sources: [Source]) -> [String: Any] {
        let tallies = tallies.withLock { $0 }
        let entries: [[String: Any]] = sources.map { source in
            let tally = tallies[source.name] ?? Tally()
            let total = tally.verified + tally.refused
            var entry: [String: Any] = [
                "source": source.name,
                "verified": tally.verified,
                "refused": tally.refused,
                "successRate": total == 0 ? NSNull() : Double(tally.verified) / Double(total),
                "lastRefusal": tally.lastRefusalReason.map { reason -> Any in
                    ["reason": reason, "at": tally.lastRefusalAt!.formatted(Date.ISO8601FormatStyle())]
                } ?? NSNull(),
            ]
            entry["posture"] = Self.posture(of: source)
            return entry
        }
        return ["generatedAt": Date().formatted(Date.ISO8601FormatStyle()), "sources": entries]
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

    static func posture(of source: Source) -> [String: Any] {
        [
            "scheme": source.verifier.presetName,
            "verification": source.verifier.summary,
            "toleranceSeconds": source.verifier.tolerance.map { $0 as Any } ?? NSNull(),
            "replayProtection": replayProtection(of: source),
            "timestampSigned": source.verifier.timestampIsSigned.map { $0 as Any } ?? NSNull(),
            "maxBodyBytes": source.maxBodyBytes,
            "allowIPs": source.config.allowIPs.map(\.description),
            "rateLimit": source.rateLimit.map { ["perSecond": $0.perSecond, "burst": $0.burst] as Any } ?? NSNull(),
            "clientCertificate": source.config.requiresClientCertificate ? "required" : "optional",
        ]
    }
}
