import Foundation
import Histogram
import NIOCore
import NIOHTTP1

/// One connection of the load: sends a freshly signed request, waits for its answer, records the latency, and goes
/// on until the deadline — closed loop, or at a fixed interval per connection (open loop, latency measured from
/// the intended send time, so a stalled server is not hidden).
final class LoadConnection: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    struct Result: Sendable {
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var statuses: [Int: Int] = [:]
        var errors = 0
    }

    private let requests: SignedRequests
    private let host: String
    private let path: String
    private let deadline: NIODeadline
    private let interval: TimeAmount?
    private let done: EventLoopPromise<Result>
    private var result = Result()
    private var intendedStart = NIODeadline.now()
    private var status = 0

    init(requests: SignedRequests, host: String, path: String, deadline: NIODeadline, interval: TimeAmount?,
         done: EventLoopPromise<Result>) {
        self.requests = requests
        self.host = host
        self.path = path
        self.deadline = deadline
        self.interval = interval
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        intendedStart = .now()
        send(context)
    }

    private func send(_ context: ChannelHandlerContext) {
        let (headers, body) = requests.next(now: Date())
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path)
        head.headers.add(name: "Host", value: host)
        head.headers.add(name: "Content-Length", value: String(body.count))
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body:
            break
        case .end:
            let now = NIODeadline.now()
            _ = result.histogram.record(UInt64(max(1, (now - intendedStart).nanoseconds / 1000)))
            result.statuses[status, default: 0] += 1
            guard now < deadline else {
                finish(context)
                return
            }
            if let interval {
                intendedStart = intendedStart + interval
                let wait = intendedStart - now
                if wait > .zero {
                    let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                    context.eventLoop.scheduleTask(in: wait) { [self] in self.send(bound.value) }
                    return
                }
            } else {
                intendedStart = now
            }
            send(context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        result.errors += 1
        finish(context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        done.succeed(result)
    }

    private func finish(_ context: ChannelHandlerContext) {
        context.close(promise: nil)
    }
}
