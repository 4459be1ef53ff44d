import Foundation

/// The `format` values asserted when a source sets `formatAssertion: true` (otherwise `format` is an annotation, as
/// draft 2020-12 has it): `date-time`, `date`, `time` (RFC 3339), `email` (RFC 5321 mailbox, ASCII), `hostname`
/// (RFC 1123), `ipv4`, `ipv6`, `uri` (RFC 3986, absolute), `uuid` (RFC 4122) and `regex`. Unknown formats pass.
enum SchemaFormat {
    static let asserted: Set<String> = ["date-time", "date", "time", "email", "hostname", "ipv4", "ipv6", "uri", "uuid", "regex"]

    static func accepts(_ text: String, format: String) -> Bool {
        switch format {
        case "date-time":
            guard let t = text.firstIndex(where: { $0 == "T" || $0 == "t" }) else { return false }
            return isDate(text[..<t]) && isTime(text[text.index(after: t)...])
        case "date": return isDate(Substring(text))
        case "time": return isTime(Substring(text))
        case "email": return isEmail(text)
        case "hostname": return isHostname(text)
        case "ipv4": return !text.containsASCII(":") && IPAddress(text) != nil
        case "ipv6": return text.containsASCII(":") && IPAddress(text) != nil && !text.containsASCII("%")
        case "uri": return isURI(text)
        case "uuid": return isUUID(text)
        case "regex": return SchemaPattern(text) != nil
        default: return true
        }
    }

    /// `YYYY-MM-DD` with a real day of that month (29 February in leap years only).
    static func isDate(_ text: Substring) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigitCharacter) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }

    /// `HH:MM:SS[.fraction](Z|±HH:MM)`; a leap second only at 23:59:60 UTC.
    static func isTime(_ text: Substring) -> Bool {
        let chars = Array(text)
        guard chars.count >= 9, chars[2] == ":", chars[5] == ":",
              let hour = Int(String(chars[0..<2])), let minute = Int(String(chars[3..<5])), let second = Int(String(chars[6..<8])),
              chars[0..<2].allSatisfy(\.isASCIIDigitCharacter), chars[3..<5].allSatisfy(\.isASCIIDigitCharacter), chars[6..<8].allSatisfy(\.isASCIIDigitCharacter),
              hour < 24, minute < 60, second <= 60 else { return false }
        var index = 8
        if chars[index] == "." {
            index += 1
            let start = index
            while index < chars.count, chars[index].isASCIIDigitCharacter { index += 1 }
            guard index > start else { return false }
        }
        guard index < chars.count else { return false }
        var offset = 0
        if chars[index] == "Z" || chars[index] == "z" {
            guard index + 1 == chars.count else { return false }
        } else {
            guard chars[index] == "+" || chars[index] == "-", chars.count == index + 6, chars[index + 3] == ":",
                  let h = Int(String(chars[index + 1..<index + 3])), let m = Int(String(chars[index + 4..<index + 6])),
                  chars[index + 1..<index + 3].allSatisfy(\.isASCIIDigitCharacter), chars[index + 4..<index + 6].allSatisfy(\.isASCIIDigitCharacter),
                  h < 24, m < 60 else { return false }
            offset = (chars[index] == "+" ? 1 : -1) * (h * 60 + m)
        }
        if second == 60 {
            let utc = ((hour * 60 + minute - offset) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    static func isHostname(_ text: String) -> Bool {
        let name = text.hasSuffix(".") ? String(text.dropLast()) : text
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    static func isEmail(_ text: String) -> Bool {
        guard let at = text.lastIndex(of: "@") else { return false }
        let domain = String(text[text.index(after: at)...])
        guard isLocalPart(text[..<at]) else { return false }
        if domain.hasPrefix("["), domain.hasSuffix("]") {
            let literal = domain.dropFirst().dropLast()
            return literal.hasPrefix("IPv6:") ? IPAddress(String(literal.dropFirst(5))) != nil : accepts(String(literal), format: "ipv4")
        }
        return isHostname(domain)
    }

    /// RFC 5321 §4.1.2's Local-part: atoms joined by dots, or a quoted string (printable ASCII, `\\` escaping).
    static func isLocalPart(_ local: Substring) -> Bool {
        guard !local.isEmpty, local.utf8.count <= 64 else { return false }
        if local.first == "\"" {
            guard local.count >= 2, local.last == "\"" else { return false }
            var escaping = false
            for scalar in local.dropFirst().dropLast().unicodeScalars {
                guard (32...126).contains(scalar.value) else { return false }
                if escaping {
                    escaping = false
                } else if scalar == "\\" {
                    escaping = true
                } else if scalar == "\"" {
                    return false
                }
            }
            return !escaping
        }
        let atext = Set("!#$%&'*+-/=?^_`{|}~")
        return local.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { atom in
            !atom.isEmpty && atom.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || atext.contains($0)) }
        }
    }

    static func isURI(_ text: String) -> Bool {
        guard SchemaURI.hasScheme(text), text.allSatisfy({ $0.isASCII && !$0.isWhitespace && !"<>\"{}|\\^`".contains($0) }) else { return false }
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "%" {
                let next = text.index(index, offsetBy: 3, limitedBy: text.endIndex) ?? text.endIndex
                guard text.distance(from: index, to: next) == 3, text[text.index(after: index)..<next].allSatisfy(\.isHexDigit) else { return false }
                index = next
            } else {
                index = text.index(after: index)
            }
        }
        return true
    }

    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
