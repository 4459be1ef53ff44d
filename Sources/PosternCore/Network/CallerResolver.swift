/// Decides who is calling: the socket peer, or — when the peer is a trusted proxy — the right-most address of
/// `X-Forwarded-For` that is not itself a trusted proxy. An untrusted peer's `X-Forwarded-For` is ignored,
/// so a caller cannot claim another address.
public struct CallerResolver: Sendable {
    public let trustedProxies: [CIDR]

    public init(trustedProxies: [CIDR]) {
        self.trustedProxies = trustedProxies
    }

    public func isTrusted(_ address: IPAddress) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }

    /// - Parameter forwardedFor: every `X-Forwarded-For` value, in received order.
    public func caller(peer: IPAddress?, forwardedFor: [String]) -> IPAddress? {
        guard var caller = peer, isTrusted(caller) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingSpaces }
        for hop in hops.reversed() {
            // A hop we cannot read was written by whoever the trusted proxy heard from: stop at the proxy.
            guard let address = IPAddress(hop) else { return caller }
            caller = address
            if !isTrusted(address) { return address }
        }
        return caller
    }
}
