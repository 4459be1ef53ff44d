import Foundation

/// The `format` values asserted when a source sets `formatAssertion: true` (otherwise `format` is an annotation, as
/// draft 2020-12 has it): `date-time`, `date`, `time` (RFC 3339), `email` (RFC 5321 mailbox, ASCII), `hostname`
/// (RFC 1123), `ipv4`, `ipv6`, `uri` (RFC 3986, absolute), `uuid` (RFC 4122) and `regex`. Unknown formats pass.
enum SchemaFormat {
    static let asserted: Set<String> = ["date-time", "date", "time", "email", "hostname", "ipv4", "ipv6", "uri", "uuid", "regex"]

    static func accepts(_ text: String, format: String) -> Bool {
        switch format {
        case "date-time":
            return RFC3339.date(text) != nil
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

    static func isDate(_ text: Substring) -> Bool { RFC3339.day(text) != nil }

    static func isTime(_ text: Substring) -> Bool { RFC3339.time(text) != nil }

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
