import Hummingbird
import NIOCore

/// The request context of the webhook listener: Hummingbird's core context plus the caller's socket address.
public struct GatewayContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

}
