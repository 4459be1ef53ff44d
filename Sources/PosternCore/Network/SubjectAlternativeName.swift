/// A client certificate's subject alternative name with its type, written `dns:`, `uri:`, `email:` or `ip:` in `allowedSANs`.
public struct SubjectAlternativeName: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case dns, uri, email, ip
    }

    public var kind: Kind
    public var value: String

    public init(_ kind: Kind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    /// Reads an `allowedSANs` entry: `kind:value`, or a bare DNS name. Nil for an unknown kind or a bad address.
    public init?(allowed entry: String) {
        guard let colon = entry.firstIndex(of: ":"), let kind = Kind(rawValue: entry[..<colon].lowercased()) else {
            // A bare entry is an IP address or a DNS name.
            if let address = IPAddress(entry) {
                self.init(.ip, address.description)
                return
            }
            guard !entry.isEmpty, !entry.contains(":") else { return nil }
            self.init(.dns, entry)
            return
        }
        let value = String(entry[entry.index(after: colon)...])
        if kind == .ip {
            guard let address = IPAddress(value) else { return nil }
            self.init(.ip, address.description)
        } else {
            guard !value.isEmpty else { return nil }
            self.init(kind, value)
        }
    }

    /// DNS names compare without regard to case (RFC 4343); the others exactly.
    public func matches(_ other: SubjectAlternativeName) -> Bool {
        guard kind == other.kind else { return false }
        return kind == .dns ? value.lowercased() == other.value.lowercased() : value == other.value
    }

    public var description: String { "\(kind.rawValue):\(value)" }
}
