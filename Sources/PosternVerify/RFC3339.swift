import Foundation

/// RFC 3339 timestamps (`2026-11-25T10:00:00Z`, `2026-11-25T11:00:00.123+01:00`).
enum RFC3339 {
    static func parse(_ text: String) -> Date? {
        let plain = Date.ISO8601FormatStyle()
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return (try? plain.parse(text)) ?? (try? fractional.parse(text))
    }

    static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle().format(date)
    }
}
