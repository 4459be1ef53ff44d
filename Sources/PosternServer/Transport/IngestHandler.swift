import HTTPTypes
import NIOCore
import NIOHTTPTypes
import NIOSSL
import PosternCore

/// The webhook listener's request handler, on the connection's event loop: a request's head goes to
/// `Ingest.begin` as soon as it arrives (a refusal is answered before the body is sent), the body is gathered up to
/// the source's limit, the whole request is checked on the loop (`Ingest.check`), and one that passed is handed to
/// the store's writer (`Ingest.store`), whose answer is written back on the loop. A request to the OAuth token
/// endpoint gathers its (small) body the same way and is answered on the loop (`Ingest.answer`).
/// NIO's pipelining handler before it holds a pipelined next request until the answer is written, so answers go
/// out in order.
final class IngestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    /// Where the connection's current request stands.
    enum State {
        /// Between requests.
        case idle
        /// Gathering an admitted request's body.
        case receiving(Ingest.Admitted, ByteBuffer)
        /// Gathering a token request's body.
        case receivingToken(Ingest.TokenCall, ByteBuffer)
        /// Refused before its body ended: the rest of the body is read and dropped. `answered` once the answer is out.
        case draining(answered: Bool)
        /// The whole request is in; its answer is being made.
        case answering
    }

    let ingest: Ingest
    let isTLS: Bool
    private var state = State.idle
    private var connection: Ingest.Connection?
    private var closeAfterAnswer = false

    init(ingest: Ingest, isTLS: Bool) {
        self.ingest = ingest
        self.isTLS = isTLS
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            closeAfterAnswer = head.headerFields[.connection]?.lowercased().contains("close") == true
            switch ingest.begin(head, on: connectionInfo(context)) {
            case .answered(let answer):
                state = .draining(answered: false)
                write(answer, context)
            case .admitted(let admitted):
                state = .receiving(admitted, context.channel.allocator.buffer(capacity: 0))
            case .tokenRequest(let call):
                state = .receivingToken(call, context.channel.allocator.buffer(capacity: 0))
            }
        case .body(var chunk):
            if case .receivingToken(let call, var body) = state {
                guard body.readableBytes + chunk.readableBytes <= TokenEndpoint.maxBodyBytes else {
                    state = .draining(answered: false)
                    write(ingest.answer(call, body: nil), context)
                    return
                }
                body.writeBuffer(&chunk)
                state = .receivingToken(call, body)
                return
            }
            guard case .receiving(let admitted, var body) = state else { return }
            if body.readableBytes + chunk.readableBytes > admitted.source.maxBodyBytes {
                state = .draining(answered: false)
                finish(admitted, .failure(RequestGuards.tooLarge(admitted.source)), context)
                return
            }
            state = .idle  // let go of the buffer's reference while it grows, so it is not copied
            body.writeBuffer(&chunk)
            state = .receiving(admitted, body)
        case .end:
            switch state {
            case .receiving(let admitted, let body):
                state = .answering
                finish(admitted, .success(Array(body.readableBytesView)), context)
            case .receivingToken(let call, let body):
                state = .answering
                write(ingest.answer(call, body: Array(body.readableBytesView)), context)
            case .draining(let answered):
                state = answered ? .idle : .answering
            case .idle, .answering:
                break
            }
        }
    }

    /// The connection's peer and client certificate, read once: the TLS handshake is over before the first head.
    private func connectionInfo(_ context: ChannelHandlerContext) -> Ingest.Connection {
        if let connection { return connection }
        var identity: ClientIdentity?
        if isTLS, let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
           let certificate = tls.peerCertificate {
            identity = ClientIdentity(certificate)
        }
        let found = Ingest.Connection(peer: Self.peer(context.channel.remoteAddress), identity: identity)
        connection = found
        return found
    }

    /// The peer's address, read from the socket address's bytes (no text round trip).
    static func peer(_ address: SocketAddress?) -> IPAddress? {
        switch address {
        case .v4(let address): withUnsafeBytes(of: address.address.sin_addr) { IPAddress(packed: Array($0)) }
        case .v6(let address): withUnsafeBytes(of: address.address.sin6_addr) { IPAddress(packed: Array($0)) }
        case .unixDomainSocket, nil: nil
        }
    }

    /// Checks the request on the loop (a refusal is written at once), then hands it to the store, whose answer is
    /// written back on the loop.
    private func finish(_ admitted: Ingest.Admitted, _ body: Result<[UInt8], Refusal>, _ context: ChannelHandlerContext) {
        switch ingest.check(admitted, body: body) {
        case .answered(let answer):
            write(answer, context)
        case .storing(let storing):
            // Handed to the store's writer, which calls back once the commit is durable: no task per request.
            let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
            let loop = context.eventLoop
            ingest.store(storing) { answer in
                if loop.inEventLoop {
                    bound.value.handler.write(answer, bound.value.context)
                } else {
                    loop.execute { bound.value.handler.write(answer, bound.value.context) }
                }
            }
        case .refreshingKeys(let issuer):
            answer(in: context) { ingest in
                _ = await issuer.refresh()
                return await ingest.finish(admitted, body: body, refreshingKeys: false)
            }
        }
    }

    /// Makes the answer in a task, and writes it back on the loop.
    private func answer(in context: ChannelHandlerContext, _ make: @escaping @Sendable (Ingest) async -> HTTPAnswer) {
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let ingest = ingest
        context.eventLoop.makeFutureWithTask { await make(ingest) }.whenSuccess { answer in
            bound.value.handler.write(answer, bound.value.context)
        }
    }

    private func write(_ answer: HTTPAnswer, _ context: ChannelHandlerContext) {
        var fields = answer.headers
        fields[.contentLength] = String(answer.body.readableBytes)
        fields[.date] = HTTPDate.shared.now
        if closeAfterAnswer { fields[.connection] = "close" }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .init(code: answer.status), headerFields: fields))), promise: nil)
        if answer.body.readableBytes > 0 { context.write(wrapOutboundOut(.body(answer.body)), promise: nil) }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        switch state {
        case .answering: state = .idle
        case .draining: state = .draining(answered: true)
        case .idle, .receiving, .receivingToken: break
        }
        if closeAfterAnswer {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            written.whenComplete { _ in bound.value.close(promise: nil) }
        }
    }

    /// A request that does not parse (NIO's protocol-error handler has answered it 400) or a broken connection:
    /// nothing more is read from it.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
