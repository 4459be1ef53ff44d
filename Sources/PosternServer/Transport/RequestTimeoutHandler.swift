import NIOCore
import NIOHTTPTypes
import PosternCore

/// Closes a connection whose request head does not arrive within the header timeout (counted from the connection's
/// start, or from the first byte of the next request) or whose body does not end within the body timeout of its
/// head: a slowloris client that drips header lines cannot hold a connection.
///
/// Each request moves the deadline; one timer per connection follows it lazily (on firing early it waits for the
/// moved deadline), so a keep-alive connection does not schedule and cancel timers for every request.
final class RequestTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Where the connection is in its request cycle; a deadline holds in the reading states only.
    private enum State {
        case readingHead
        case readingBody
        case handling
        case betweenRequests
    }

    private let limits: ConnectionLimits
    private var state = State.betweenRequests
    /// The response ended before the request did (an early refusal); the request's end then closes the cycle.
    private var answeredEarly = false
    private var context: ChannelHandlerContext?
    /// When the current head or body must have arrived; nil while handling or between requests.
    private var deadline: NIODeadline?
    private var timer: (task: Scheduled<Void>, firesAt: NIODeadline)?

    init(limits: ConnectionLimits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        enter(.readingHead, within: limits.headerTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.task.cancel()
        timer = nil
        deadline = nil
        state = .handling
        self.context = nil
    }

    /// Called by `RequestBytesSignal` when bytes arrive: a keep-alive connection's next request has begun.
    func bytesArrived() {
        if case .betweenRequests = state { enter(.readingHead, within: limits.headerTimeout) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            enter(.readingBody, within: limits.bodyTimeout)
        case .end:
            deadline = nil
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

    private func enter(_ reading: State, within seconds: Double) {
        state = reading
        let due = NIODeadline.now() + .nanoseconds(Int64(seconds * 1e9))
        deadline = due
        if let timer, timer.firesAt <= due { return }  // it fires first and then waits for `due`
        timer?.task.cancel()
        schedule(at: due)
    }

    private func schedule(at due: NIODeadline) {
        guard let context else { return }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = (context.eventLoop.scheduleTask(deadline: due) { handler.value.timerFired() }, due)
    }

    private func timerFired() {
        timer = nil
        guard let deadline else { return }
        if deadline <= .now() {
            context?.close(promise: nil)
        } else {
            schedule(at: deadline)
        }
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
