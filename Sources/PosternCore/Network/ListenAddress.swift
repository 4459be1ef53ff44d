/// A `host:port` a listener binds to (`127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:8443`).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`; IPv6 hosts are written in brackets.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.contains(" ") else { return nil }
        self.init(host: host, port: port)
    }

    /// Whether only this machine can reach the address: decided on the parsed address (127.0.0.0/8, ::1) or the
    /// name `localhost`, never on a prefix of the text (`127.attacker.example` is a name anyone can point anywhere).
    public var isLoopback: Bool {
        host.lowercased() == "localhost" || IPAddress(host)?.isLoopback == true
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
