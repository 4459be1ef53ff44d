/// Text made safe for an HTML page, in element content and in quoted attribute values alike.
enum HTML {
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}

extension String {
    /// This text escaped for HTML.
    var html: String { HTML.escape(self) }
}

extension Optional<String> {
    /// This text escaped for HTML, or a dash for none.
    var html: String { map(HTML.escape) ?? "–" }
}
