extension String {
    /// This text safe in XML and HTML, in element content and in quoted attribute values alike: `&`, `<`, `>`, `"`
    /// and `'` as entities (answer templates with `escape: xml`, the console's pages).
    public var markupEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
