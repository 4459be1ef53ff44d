import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import PosternCore
import PosternDelivery
import PosternStore

extension LoadTest {
    /// `postern-loadtest drain`: fills a SQLite outbox with a backlog and times the dispatcher delivering it to a
    /// local sink that answers 200.
    struct Drain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time the delivery of an outbox backlog to a local sink.")

        @Option(help: "Events in the backlog.")
        var events = 100_000

        @Option(help: "Deliveries in flight at once.")
        var concurrency = 64

        @Option(help: "A sink URL (e.g. nginx); by default one in this process.")
        var sink: String?

        @Option(help: "Write the result as JSON to this file.")
        var json: String?

        func run() async throws {
            // Tasks on the event loops, as in `postern serve`.
            NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("postern-drain-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let (sinkURL, sinkChannel) = try await startSink()
            let store = try await SQLiteEventStore.open(path: directory.appendingPathComponent("drain.db").path)

            let filling = ContinuousClock.now
            let body = Array(String(repeating: "x", count: 1000).utf8)
            for start in stride(from: 0, to: events, by: 2048) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in start..<min(start + 2048, events) {
                        group.addTask {
                            _ = try await store.insert(IncomingEvent(
                                source: "drain", idempotencyKey: "e\(index)", correlationID: nil, receivedAt: Date(),
                                headers: [("Content-Type", "application/json")], body: body,
                                verification: Verification(scheme: "bench"), callerAddress: nil, destinations: ["sink"]))
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let filled = (ContinuousClock.now - filling).seconds

            let client = DeliveryClient()
            let dispatcher = Dispatcher(queue: store, destinations: [DestinationConfig(name: "sink", url: sink ?? sinkURL,
                                                                                       concurrency: concurrency)],
                                        client: client, observer: Silent(), pollInterval: .milliseconds(20),
                                        logger: Logger(label: "drain"))
            let draining = ContinuousClock.now
            let running = Task { try await dispatcher.run() }
            while try await store.depth().contains(where: { $0.pending > 0 }) {
                try await Task.sleep(for: .milliseconds(50))
            }
            let drained = (ContinuousClock.now - draining).seconds
            running.cancel()
            _ = try? await running.value
            let delivered = try await store.deliveries(state: .delivered, event: nil, limit: events + 1).count
            await client.shutdown()
            try await store.close()
            try await sinkChannel?.close()

            let rate = Double(delivered) / drained
            print(String(format: "backlog of %d events filled in %.1f s (%.0f events/s stored); %d delivered in %.1f s = %.0f events/s",
                         events, filled, Double(events) / filled, delivered, drained, rate))
            if let json {
                let document: [String: Any] = ["label": "drain", "events": events, "delivered": delivered,
                                               "fill_s": filled, "drain_s": drained, "events_per_s": rate.rounded(),
                                               "concurrency": concurrency]
                try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]).write(to: URL(fileURLWithPath: json))
            }
        }

        /// A local HTTP server answering 200 to everything, unless a sink URL was given.
        func startSink() async throws -> (String, (any Channel)?) {
            if let sink { return (sink, nil) }
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 256)
                .childChannelInitializer { channel in
                    channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(OK()) }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            return ("http://127.0.0.1:\(channel.localAddress!.port!)/sink", channel)
        }
    }

    /// Answers every request with an empty 200.
    final class OK: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Length": "0"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    /// Reports nothing.
    struct Silent: DeliveryObserver {
        func attempted(_ delivery: DueDelivery, result: AttemptResult, verdict: DeliveryVerdict) {}
        func circuitChanged(destination: String, to state: CircuitBreaker.State) {}
    }
}
