import Foundation

/// RFC 3339 dates, times and date-times, read exactly: a real day of its month (29 February in leap years only),
/// hours, minutes and offsets in range, a leap second only at 23:59:60 UTC. Foundation's ISO 8601 parser refuses some
/// valid ones (an offset of -18:50, a year before 1583), which an API must accept.
public enum RFC3339 {
    /// `2026-12-02T10:00:00.5+01:00` (`T` or `t`, `Z` or `z`) as a point in time; 23:59:60 is the next second.
    public static func date(_ text: String) -> Date? {
        guard let t = text.firstIndex(where: { $0 == "T" || $0 == "t" }),
              let (year, month, day) = day(text[..<t]), let (seconds, offset) = time(text[text.index(after: t)...]) else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 - offset * 60) + seconds)
    }

    /// `YYYY-MM-DD`.
    static func day(_ text: Substring) -> (year: Int, month: Int, day: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigitCharacter) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month) else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day) ? (year, month, day) : nil
    }

    /// `HH:MM:SS[.fraction](Z|±HH:MM)`: the seconds since midnight, local, and the offset in minutes east of UTC.
    static func time(_ text: Substring) -> (seconds: Double, offsetMinutes: Int)? {
        let chars = Array(text)
        guard chars.count >= 9, chars[2] == ":", chars[5] == ":",
              chars[0..<2].allSatisfy(\.isASCIIDigitCharacter), chars[3..<5].allSatisfy(\.isASCIIDigitCharacter),
              chars[6..<8].allSatisfy(\.isASCIIDigitCharacter),
              let hour = Int(String(chars[0..<2])), let minute = Int(String(chars[3..<5])), let second = Int(String(chars[6..<8])),
              hour < 24, minute < 60, second <= 60 else { return nil }
        var index = 8
        var fraction = 0.0
        if chars[index] == "." {
            index += 1
            let start = index
            while index < chars.count, chars[index].isASCIIDigitCharacter { index += 1 }
            guard index > start, let value = Double("0." + String(chars[start..<index])) else { return nil }
            fraction = value
        }
        guard index < chars.count else { return nil }
        var offset = 0
        if chars[index] == "Z" || chars[index] == "z" {
            guard index + 1 == chars.count else { return nil }
        } else {
            guard chars[index] == "+" || chars[index] == "-", chars.count == index + 6, chars[index + 3] == ":",
                  chars[index + 1..<index + 3].allSatisfy(\.isASCIIDigitCharacter),
                  chars[index + 4..<index + 6].allSatisfy(\.isASCIIDigitCharacter),
                  let h = Int(String(chars[index + 1..<index + 3])), let m = Int(String(chars[index + 4..<index + 6])),
                  h < 24, m < 60 else { return nil }
            offset = (chars[index] == "+" ? 1 : -1) * (h * 60 + m)
        }
        if second == 60, ((hour * 60 + minute - offset) % 1440 + 1440) % 1440 != 23 * 60 + 59 { return nil }
        return (Double(hour * 3600 + minute * 60 + second) + fraction, offset)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
