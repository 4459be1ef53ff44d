import Hummingbird
import NIOCore
import NIOSSL
import PosternCore

/// The request context of the webhook listener: Hummingbird's core context plus the connection it came on.
public struct GatewayContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    let channel: any Channel

    /// The peer's address, read from the socket address's bytes (no text round trip).
    var peer: IPAddress? {
        switch remoteAddress {
        case .v4(let address): withUnsafeBytes(of: address.address.sin_addr) { IPAddress(packed: Array($0)) }
        case .v6(let address): withUnsafeBytes(of: address.address.sin6_addr) { IPAddress(packed: Array($0)) }
        case .unixDomainSocket, nil: nil
        }
    }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.channel = source.channel
    }

    /// The verified client certificate's identity; nil on a plain connection or when none was presented.
    public func clientIdentity() async -> ClientIdentity? {
        guard let certificate = try? await channel.nioSSL_peerCertificate().get() else { return nil }
        return ClientIdentity(certificate)
    }
}
