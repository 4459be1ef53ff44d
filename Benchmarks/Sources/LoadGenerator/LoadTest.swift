import ArgumentParser
import Foundation
import Histogram
import NIOCore
import NIOHTTP1
import NIOPosix

/// `postern-loadtest`: drives a webhook endpoint with requests it signs itself, one fresh id and timestamp each,
/// and reports requests/s and latency percentiles (HdrHistogram), as text and optionally JSON.
@main
struct LoadTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postern-loadtest", abstract: "Load a webhook endpoint with freshly signed requests.",
        subcommands: [Run.self, Drain.self], defaultSubcommand: Run.self)

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Send signed requests for a fixed duration.")

        @Option(help: "The endpoint, e.g. http://127.0.0.1:8080/api/v1/cognigy/webhook.")
        var url: String

        @Option(help: "The preset to sign for (an HMAC preset, or none).")
        var preset = "cognigy-webhook"

        @Option(help: "The signing secret.")
        var secret = "bench-secret"

        @Option(help: "The body: seed001 (Cognigy flow event) or seed002 (fulfillment request); by default the one the preset's sender sends.")
        var style: String?

        @Option(help: "Connections, each one request at a time.")
        var connections = 64

        @Option(help: "Seconds to run.")
        var duration = 10.0

        @Option(help: "Requests per second in all (open loop); by default as fast as answers come (closed loop).")
        var rate: Double?

        @Option(help: "Event-loop threads.")
        var threads = 1

        @Option(help: "Write the result as JSON to this file.")
        var json: String?

        @Option(help: "A label for the JSON result.")
        var label = "postern-loadtest"

        func run() async throws {
            guard let endpoint = URL(string: url), let host = endpoint.host, let port = endpoint.port else {
                throw LoadError("--url must be http://host:port/path")
            }
            let chosen = style ?? (preset == "cognigy-fulfillment" ? "seed002" : "seed001")
            guard let style = SignedRequests.Style(rawValue: chosen) else { throw LoadError("--style is seed001 or seed002") }
            let requests = try SignedRequests(preset: preset, secret: secret, style: style)
            let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
            let deadline = NIODeadline.now() + .nanoseconds(Int64(duration * 1e9))
            let interval = rate.map { TimeAmount.nanoseconds(Int64(Double(connections) / $0 * 1e9)) }
            let started = Date()
            var results: [EventLoopFuture<LoadConnection.Result>] = []
            for _ in 0..<connections {
                let loop = group.next()
                let done = loop.makePromise(of: LoadConnection.Result.self)
                let bootstrap = ClientBootstrap(group: loop).channelInitializer { channel in
                    channel.pipeline.addHTTPClientHandlers().flatMap {
                        channel.pipeline.addHandler(LoadConnection(requests: requests, host: "\(host):\(port)",
                                                                   path: endpoint.path, deadline: deadline,
                                                                   interval: interval, done: done))
                    }
                }
                bootstrap.connect(host: host, port: port).whenFailure { done.fail($0) }
                results.append(done.futureResult)
            }
            var total = LoadConnection.Result()
            for result in results {
                let one = try await result.get()
                total.histogram.add(one.histogram)
                total.statuses.merge(one.statuses, uniquingKeysWith: +)
                total.errors += one.errors
            }
            let elapsed = Date().timeIntervalSince(started)
            try await group.shutdownGracefully()
            try report(total, elapsed: elapsed)
        }

        func report(_ result: LoadConnection.Result, elapsed: Double) throws {
            let count = Int(result.histogram.totalCount)
            let ok = result.statuses.filter { (200..<300).contains($0.key) }.values.reduce(0, +)
            func ms(_ percentile: Double) -> Double { Double(result.histogram.valueAtPercentile(percentile)) / 1000 }
            let document: [String: Any] = [
                "label": label, "url": url, "preset": preset, "connections": connections, "rate": rate as Any? ?? NSNull(),
                "duration_s": (elapsed * 100).rounded() / 100, "requests": count, "rps": (Double(count) / elapsed).rounded(),
                "non2xx": count - ok, "errors": result.errors,
                "p50_ms": ms(50), "p90_ms": ms(90), "p99_ms": ms(99), "p999_ms": ms(99.9), "max_ms": Double(result.histogram.max) / 1000,
                "statuses": Dictionary(uniqueKeysWithValues: result.statuses.map { (String($0.key), $0.value) }),
            ]
            print(String(format: "%@: %d requests in %.2f s = %.0f req/s; p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; non-2xx %d, errors %d",
                         label, count, elapsed, Double(count) / elapsed, ms(50), ms(90), ms(99), ms(99.9),
                         Double(result.histogram.max) / 1000, count - ok, result.errors))
            if let json {
                let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
                try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: json))
            }
        }
    }
}
