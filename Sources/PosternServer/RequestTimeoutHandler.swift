import NIOCore
import NIOHTTPTypes
import PosternCore

/// Closes a connection whose request head does not arrive within the header timeout (counted from the connection's
/// start, or from the first byte of the next request) or whose body does not end within the body timeout of its
/// head: a slowloris client that drips header lines cannot hold a connection.
final class RequestTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Where the connection is in its request cycle; a deadline is armed in the reading states only.
    private enum State {
        case readingHead(Scheduled<Void>)
        case readingBody(Scheduled<Void>)
        case handling
        case betweenRequests
    }

    private let limits: ConnectionLimits
    private var state = State.betweenRequests
    /// The response ended before the request did (an early refusal); the request's end then closes the cycle.
    private var answeredEarly = false

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        state = .readingHead(deadline(context, after: limits.headerTimeout))
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
        state = .handling
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is RequestBytesArrived, case .betweenRequests = state {
            state = .readingHead(deadline(context, after: limits.headerTimeout))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            cancelDeadline()
            state = .readingBody(deadline(context, after: limits.bodyTimeout))
        case .end:
            cancelDeadline()
            state = answeredEarly ? .betweenRequests : .handling
            answeredEarly = false
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            switch state {
            case .handling: state = .betweenRequests
            case .readingBody: answeredEarly = true
            case .readingHead, .betweenRequests: break
            }
        }
        context.write(data, promise: promise)
    }

    private func deadline(_ context: ChannelHandlerContext, after seconds: Double) -> Scheduled<Void> {
        let channel = context.channel
        return context.eventLoop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) {
            channel.close(promise: nil)
        }
    }

    private func cancelDeadline() {
        switch state {
        case .readingHead(let scheduled), .readingBody(let scheduled): scheduled.cancel()
        case .handling, .betweenRequests: break
        }
    }
}

/// Raised by `RequestBytesSignal` when bytes arrive, so the header deadline of a keep-alive connection's next
/// request starts at its first byte rather than at the end of the previous response.
struct RequestBytesArrived {}

/// Sits before the HTTP decoder and announces that bytes arrived.
final class RequestBytesSignal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(RequestBytesArrived())
        context.fireChannelRead(data)
    }
}
