import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1
import NIOSSL
import PosternCore

/// A webhook listener's connections, set up straight on SwiftNIO's HTTP/1.1 pipeline — TLS with the listener's
/// current context (so CA and certificate reloads apply to new connections at once), the decoder, NIO's
/// pipelining and protocol-error handlers, the header, body and idle deadlines — and `IngestHandler`
/// on the event loop, with no framework in between. Hummingbird's `Server` still accepts, caps and drains them.
///
/// Measured on this machine before the change (`../shared/notes/performance-probe.md`): a hello-world on
/// Hummingbird's router cost 45–46 µs of server CPU per request, the same on a plain NIO handler 20–21 µs.
struct IngestChannel: ServerChildChannel {
    /// The connection, which `handle` waits on until it closes.
    struct Value: ServerChildChannelValue {
        let channel: any Channel
    }

    let ingest: Ingest
    let limits: ConnectionLimits
    /// The listener's TLS contexts; nil for plain HTTP.
    let tls: TLSContextStore?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let operations = channel.pipeline.syncOperations
            if let tls { try operations.addHandler(NIOSSLServerHandler(context: tls.currentContext)) }
            let signal = RequestBytesSignal()
            try operations.addHandler(signal)
            // Outbound headers are HTTP types', already validated as they were built (as Hummingbird has it).
            try operations.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true,
                                                       withOutboundHeaderValidation: false)
            try operations.addHandler(HTTP1ToHTTPServerCodec(secure: tls != nil))
            // The idle timeout too rides the deadlines' one lazy timer: NIO's IdleStateHandler moved a timer on
            // every read and write (6 % of the listener's profile).
            let timeouts = RequestTimeoutHandler(limits: limits, closesIdle: true)
            signal.timeouts = timeouts
            try operations.addHandler(timeouts)
            try operations.addHandler(IngestHandler(ingest: ingest, isTLS: tls != nil))
            return Value(channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        try? await value.channel.closeFuture.get()
    }
}
