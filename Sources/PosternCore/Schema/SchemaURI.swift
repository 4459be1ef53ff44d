import Foundation

/// URI references as JSON Schema uses them for `$id` and `$ref` (RFC 3986 §5.2 reference resolution), and the JSON
/// pointer escapes of fragments.
enum SchemaURI {
    /// The base of a schema without an `$id`: relative references resolve against it, and nothing is ever fetched.
    static let defaultBase = "https://postern.invalid/schema.json"

    /// `reference` resolved against `base`; fragments are kept.
    static func resolve(_ reference: String, against base: String) -> String {
        if hasScheme(reference) { return removingDotSegments(reference) }
        let (baseWithoutFragment, _) = splitFragment(base)
        if reference.isEmpty { return baseWithoutFragment }
        if reference.hasPrefix("#") { return baseWithoutFragment + reference }
        guard let schemeEnd = baseWithoutFragment.firstIndex(of: ":") else { return reference }
        let scheme = baseWithoutFragment[..<schemeEnd]
        let afterScheme = baseWithoutFragment[baseWithoutFragment.index(after: schemeEnd)...]
        if reference.hasPrefix("//") { return scheme + ":" + removingDotSegments(reference) }
        var authority = ""
        var path = Substring(afterScheme)
        if afterScheme.hasPrefix("//") {
            let rest = afterScheme.dropFirst(2)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            authority = "//" + rest[..<slash]
            path = rest[slash...]
        }
        if let query = path.firstIndex(of: "?") { path = path[..<query] }
        let merged: String
        if reference.hasPrefix("/") {
            merged = reference
        } else if reference.hasPrefix("?") {
            merged = path + reference
        } else {
            let directory = path.lastIndex(of: "/").map { path[...$0] } ?? (authority.isEmpty ? "" : "/")
            merged = directory + reference
        }
        return scheme + ":" + authority + removingDotSegments(merged)
    }

    /// The URI without its fragment, and the fragment (nil when there is none), percent-decoded.
    static func splitFragment(_ uri: String) -> (String, String?) {
        guard let hash = uri.firstIndex(of: "#") else { return (uri, nil) }
        return (String(uri[..<hash]), percentDecoded(String(uri[uri.index(after: hash)...])))
    }

    static func hasScheme(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), let first = text.first, first.isASCII, first.isLetter else { return false }
        return text[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
    }

    /// RFC 3986 §5.2.4 on the path part (before any `?` or `#`).
    static func removingDotSegments(_ uri: String) -> String {
        let end = uri.firstIndex { $0 == "?" || $0 == "#" } ?? uri.endIndex
        let path = uri[..<end]
        guard path.contains("/.") || path.hasPrefix(".") else { return uri }
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            switch segment {
            case ".":
                if index == segments.count - 1 { output.append("") }
            case "..":
                if output.count > 1 || (output.count == 1 && !output[0].isEmpty) { output.removeLast() }
                if index == segments.count - 1 { output.append("") }
            default:
                output.append(segment)
            }
        }
        return output.joined(separator: "/") + uri[end...]
    }

    /// `%XX` sequences as the UTF-8 bytes they stand for; a malformed one is kept as written.
    static func percentDecoded(_ text: String) -> String {
        guard text.containsASCII("%") else { return text }
        return String(decoding: ByteEncoding.percentDecoded(text), as: UTF8.self)
    }

    /// A member name as a JSON pointer token (`~` as `~0`, `/` as `~1`).
    static func escaped(_ name: String) -> String {
        guard name.containsASCII("~") || name.containsASCII("/") else { return name }
        return name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
