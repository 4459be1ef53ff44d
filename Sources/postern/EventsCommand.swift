import ArgumentParser
import Foundation
import PosternCore
import PosternServer

/// `postern events`: read the event store, while the gateway runs or after it stopped.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Inspect stored events.", subcommands: [List.self, Show.self])

    /// `postern events list`: stored events, oldest first (or newest), as the filters select them.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored events.")

        @OptionGroup var options: ConfigOption

        @Option(help: "Only events of this source.")
        var source: String?

        @Option(help: "Only events received since: 10m, 2h, 3d ago, an RFC 3339 time, or Unix seconds.")
        var since: TimeArgument?

        @Option(help: "Only events received before this time (same forms as --since).")
        var until: TimeArgument?

        @Option(help: "Only events in this state: stored (no destinations), pending, delivered or dead.")
        var state: EventState?

        @Option(help: "Only events with this correlation id (a conversation's session id, for most presets).")
        var correlationId: String?

        @Option(help: "Only the event with this idempotency key.")
        var idempotencyKey: String?

        @Option(name: .customLong("where"),
                help: "Only JSON or form bodies whose field equals a value: /sessionId=abc (a JSON pointer; digits index arrays). Searches the last day unless --since says otherwise.")
        var bodyField: BodyFieldMatch?

        @Flag(help: "Newest first.")
        var newest = false

        @Option(help: "At most this many events.")
        var limit: Int = 1000

        @Flag(help: "One JSON object per line.")
        var json = false

        func run() async throws {
            let view = try options.loadStoreView()
            if let source, let problem = view.unknownSource(source) { throw CommandFailure(problem) }
            // A body field is read event by event: bounded in time, as a search on a million events must be.
            var since = since?.date
            if bodyField != nil, since == nil {
                since = Date().addingTimeInterval(-86_400)
                var standardError = FileHandle.standardError
                print("searching bodies of the last day; --since widens it", to: &standardError)
            }
            let store = try await options.openStore(view.store)
            let events = try await store.events(matching: EventQuery(
                source: source, since: since, until: until?.date, state: state, correlationID: correlationId,
                idempotencyKey: idempotencyKey, bodyField: bodyField, newestFirst: newest, limit: max(1, limit)))
            try await store.close()
            printEach(events, json: json) { event in
                "\(event.id)  \(event.source)  \(event.receivedAt.formatted(.iso8601))  \(event.idempotencyKey)"
                    + (event.correlationId.map { "  \($0)" } ?? "")
            }
        }
    }

    /// `postern events show ID`: one event whole, with its deliveries and their attempts.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one stored event: its kept headers, body, verification, deliveries and attempts.")

        @OptionGroup var options: ConfigOption

        @Argument(help: "The event id (as the 200 answer and `events list` give it).")
        var id: String

        @Flag(help: "One JSON object.")
        var json = false

        func run() async throws {
            let store = try await options.openStore(try options.loadStoreView().store)
            let detail = try await store.event(id: id)
            let deliveries = try await store.deliveries(state: nil, event: id, limit: 1000)
            let attempts = try await store.attempts(event: id)
            try await store.close()
            guard let detail else { throw CommandFailure("no event has the id \(id)") }
            let shown = EventDocument(detail, deliveries: deliveries, attempts: attempts)
            print(json ? JSONOutput.text(shown) : shown.text)
        }
    }
}

extension EventState: ExpressibleByArgument {}

extension BodyFieldMatch: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(argument)
    }
}
