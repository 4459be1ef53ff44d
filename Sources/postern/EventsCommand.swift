import ArgumentParser
import Foundation
import PosternCore

/// `postern events`: read the event store, while the gateway runs or after it stopped.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Inspect stored events.", subcommands: [List.self])

    /// `postern events list`: stored events, oldest first.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored events.")

        @OptionGroup var options: ConfigOption

        @Option(help: "Only events of this source.")
        var source: String?

        @Option(help: "At most this many events.")
        var limit: Int = 1000

        @Flag(help: "One JSON object per line.")
        var json = false

        func run() async throws {
            let view = try options.loadStoreView()
            if let source, let problem = view.unknownSource(source) { throw CommandFailure(problem) }
            let store = try await options.openStore(view.store)
            let events = try await store.events(source: source, limit: limit)
            try await store.close()
            printEach(events, json: json) { event in
                "\(event.id)  \(event.source)  \(event.receivedAt.formatted(.iso8601))  \(event.idempotencyKey)"
            }
        }
    }
}
