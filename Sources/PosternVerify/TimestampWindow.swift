import Foundation
import PosternCore

/// How far a sender's time may be from the gateway's, in each direction: the timestamp check every verifier shares.
struct TimestampWindow {
    /// Seconds the sender's time may be ahead of ours.
    var ahead: Int
    /// Seconds it may be behind ours (for a presigned request, its lifetime).
    var behind: Int

    /// The same tolerance both ways.
    init(tolerance: Int) {
        self.init(ahead: tolerance, behind: tolerance)
    }

    init(ahead: Int, behind: Int) {
        self.ahead = ahead
        self.behind = behind
    }

    /// Nil when `time` is inside the window; otherwise the refusal, saying by how much and which way.
    func refusal(for time: Date, now: Date, named name: String) -> VerificationFailure? {
        let skew = time.timeIntervalSince(now)
        if skew > TimeInterval(ahead) {
            return .timestampOutOfWindow("\(name) is \(Int(saturating: skew.rounded())) s ahead of the gateway clock; at most \(ahead) s is allowed")
        }
        if -skew > TimeInterval(behind) {
            return .timestampOutOfWindow("\(name) is \(Int(saturating: (-skew).rounded())) s behind the gateway clock; at most \(behind) s is allowed")
        }
        return nil
    }
}
