import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import Synchronization

/// A backend on loopback whose answer can be switched during a test: 200, any status, 429 with Retry-After,
/// a hang, a connection reset, or a redirect. It records every request it receives.
final class TestBackend: Sendable {
    enum Behaviour: Sendable {
        case ok
        case status(Int, body: String = "")
        case retryAfter(status: Int, value: String)
        case hang(seconds: Double)
        case reset
        case redirect
    }

    struct Received: Sendable {
        /// By lower-case name.
        var headers: [String: String]
        var body: [UInt8]
    }

    /// The request context: the channel, so a connection can be reset.
    struct Context: RequestContext {
        var coreContext: CoreRequestContextStorage
        let channel: any Channel

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            channel = source.channel
        }
    }

    let behaviour = Mutex(Behaviour.ok)
    let received = Mutex<[Received]>([])
    private let port = Mutex(0)
    private let task = Mutex<Task<Void, any Error>?>(nil)

    var url: String { "http://127.0.0.1:\(port.withLock { $0 })/hook" }
    var requests: [Received] { received.withLock { $0 } }

    func set(_ behaviour: Behaviour) { self.behaviour.withLock { $0 = behaviour } }

    static func start() async throws -> TestBackend {
        let backend = TestBackend()
        let router = Router(context: Context.self)
        router.post("/hook") { request, context in try await backend.answer(request, context) }
        router.post("/elsewhere") { _, _ in
            backend.received.withLock { $0.append(Received(headers: ["path": "/elsewhere"], body: [])) }
            return Response(status: .ok)
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
        backend.task.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        for await port in ports {
            backend.port.withLock { $0 = port }
            break
        }
        return backend
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    private func answer(_ request: Request, _ context: Context) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        received.withLock { $0.append(Received(headers: headers, body: Array(body.readableBytesView))) }
        switch behaviour.withLock({ $0 }) {
        case .ok:
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{\"ok\":true}")))
        case .status(let code, let text):
            return Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: text)))
        case .retryAfter(let code, let value):
            return Response(status: .init(code: code), headers: [.retryAfter: value])
        case .hang(let seconds):
            try await Task.sleep(for: .seconds(seconds))
            return Response(status: .ok)
        case .reset:
            // SO_LINGER 0: closing sends a TCP reset instead of a FIN.
            try await (context.channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
            try await context.channel.close()
            throw CancellationError()
        case .redirect:
            return Response(status: .found, headers: [.location: "/elsewhere"])
        }
    }
}

/// A clock that moves only when the test says so.
final class ManualClock: Sendable {
    private let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))

    var now: Date { time.withLock { $0 } }

    func advance(_ seconds: Double) {
        time.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
