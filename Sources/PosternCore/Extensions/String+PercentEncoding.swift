import Foundation

extension String {
    /// Percent-encoded for a path segment or a query value: everything but RFC 3986's unreserved characters (§2.3).
    public var percentEncoded: String {
        addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
