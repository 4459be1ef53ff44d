import ArgumentParser
import Foundation
import PosternCore
import PosternServer

/// `postern replay`: queues events again for delivery (dead letters included), keeping their Idempotency-Key.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Deliver events again: one by id, or a source's events in a time range.",
        discussion: "A running gateway picks the queued deliveries up within a second. Progress goes to standard error.")

    @OptionGroup var options: ConfigOption

    @Option(help: "The event id (as the 200 answer and `events list` give it).")
    var event: String?

    @Option(help: "Replay this source's events (with --since).")
    var source: String?

    @Option(help: "Received at or after this time: RFC 3339 (2026-11-25T10:00:00Z) or Unix seconds.")
    var since: String?

    @Option(help: "Received before this time.")
    var until: String?

    @Option(help: "Only to this destination (default: the source's destinations as configured).")
    var destination: String?

    func run() async throws {
        let view = try options.loadStoreView()
        let store = try await options.openStore(view.store)
        let replayer = Replayer(queue: store, view: view, audit: try AuditLog(view.audit))
        let request = Replayer.Request(event: event, source: source, since: since, until: until, destination: destination)
        var standardError = FileHandle.standardError
        do {
            let queued = try await replayer.replay(request) { done, total in
                var standardError = FileHandle.standardError
                print("replay: \(done)/\(total) events", to: &standardError)
            }
            try await store.close()
            guard queued > 0 else {
                throw CommandFailure("nothing was queued: no stored event matches, or the events have no destinations")
            }
            print("queued \(counted(queued, "delivery", plural: "deliveries"))")
        } catch let problem as Replayer.Problem {
            try? await store.close()
            print("postern replay: \(problem)", to: &standardError)
            throw ExitCode(2)
        }
    }
}
