import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// A TLS child channel that takes the listener's current TLS context for each new connection, so CA and
/// certificate reloads apply at once without touching established connections. (Hummingbird's own `TLSChannel`
/// fixes its context at start.)
struct ReloadableTLSChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let store: TLSContextStore
    var base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: store.currentContext))
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
