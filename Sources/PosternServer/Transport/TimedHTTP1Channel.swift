import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import PosternCore

/// The admin listener's HTTP/1.1 (Hummingbird's) with Postern's connection limits: header and body deadlines, and
/// the idle keep-alive timeout.
struct TimedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel

    init(responder: @escaping HTTPChannelHandler.Responder, limits: ConnectionLimits) {
        let configuration = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestTimeoutHandler(limits: limits)],
            idleTimeout: TimeAmount(limits.idleTimeout))
        base = HTTP1Channel(responder: responder, configuration: configuration)
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RequestBytesSignal())
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }.flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            try operations.handler(type: RequestBytesSignal.self).timeouts = try operations.handler(type: RequestTimeoutHandler.self)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// Plain HTTP/1.1 under the connection limits.
    static func timedHTTP1(_ limits: ConnectionLimits) -> HTTPServerBuilder {
        .init { responder in TimedHTTP1Channel(responder: responder, limits: limits) }
    }
}
