import NIOCore
import NIOHTTPTypes
import PosternCore

/// Closes a connection whose request head or body does not arrive in time (`RequestDeadlines` decides when): a
/// slowloris client that drips header lines cannot hold a connection. This handler only carries the deadlines'
/// events and actions to and from NIO.
final class RequestTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var deadlines: RequestDeadlines
    private var context: ChannelHandlerContext?
    private var timer: Scheduled<Void>?

    /// `closesIdle`: also close a connection idle between requests for the idle timeout.
    init(limits: ConnectionLimits, closesIdle: Bool = false) {
        deadlines = RequestDeadlines(headerTimeout: limits.headerTimeout, bodyTimeout: limits.bodyTimeout,
                                     idleTimeout: closesIdle ? limits.idleTimeout : nil)
    }

    private static var now: UInt64 { NIODeadline.now().uptimeNanoseconds }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        perform(deadlines.connectionStarted(now: Self.now))
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        deadlines.stopped()
        self.context = nil
    }

    /// Called by `RequestBytesSignal` when bytes arrive: a keep-alive connection's next request has begun.
    func bytesArrived() {
        perform(deadlines.bytesArrived(now: Self.now))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: perform(deadlines.headReceived(now: Self.now))
        case .end: perform(deadlines.requestEnded(now: Self.now))
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { perform(deadlines.responseEnded(now: Self.now)) }
        context.write(data, promise: promise)
    }

    private func perform(_ action: RequestDeadlines.Action) {
        switch action {
        case .none:
            break
        case .schedule(let at):
            guard let context else { return }
            timer?.cancel()
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            timer = context.eventLoop.scheduleTask(deadline: NIODeadline.uptimeNanoseconds(at)) {
                handler.value.timerFired()
            }
        case .close:
            context?.close(promise: nil)
        }
    }

    private func timerFired() {
        timer = nil
        perform(deadlines.timerFired(now: Self.now))
    }
}

/// Sits before the HTTP decoder and tells the connection's `RequestTimeoutHandler` that bytes arrived, so the
/// header deadline of a keep-alive connection's next request starts at its first byte rather than at the end of
/// the previous response.
final class RequestBytesSignal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// Set once the pipeline is built.
    var timeouts: RequestTimeoutHandler?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        timeouts?.bytesArrived()
        context.fireChannelRead(data)
    }
}
