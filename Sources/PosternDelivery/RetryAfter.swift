import Foundation
import PosternCore

/// Reads an HTTP `Retry-After` value: delay seconds, or an HTTP date (IMF-fixdate, RFC 850 or asctime).
public enum RetryAfter {
    /// The wait from `now`; nil when the value is neither form. A date in the past means zero, and a wait past
    /// what a duration holds is held to its largest.
    public static func delay(_ value: String, now: Date) -> Duration? {
        let text = value.trimmingSpaces
        if let seconds = Double(text), seconds.isFinite {
            return Duration(secondsSaturating: max(0, seconds))
        }
        for format in formats {
            if let date = format.date(from: text) { return max(.zero, date.since(now)) }
        }
        return nil
    }

    private static let formats: [DateFormatter] = [
        "EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy",
    ].map { pattern in
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = pattern
        return formatter
    }
}
