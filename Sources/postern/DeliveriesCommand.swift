import ArgumentParser
import Foundation
import PosternCore

/// `postern deliveries`: the outbox, while the gateway runs or after it stopped.
struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries", abstract: "Inspect deliveries and their attempts.", subcommands: [List.self, Attempts.self, Skip.self])

    /// `postern deliveries list`: one line per delivery, oldest first.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List deliveries, optionally in one state or of one event.")

        @OptionGroup var options: ConfigOption

        @Option(help: "Only deliveries in this state: pending, delivered or dead.")
        var state: DeliveryState?

        @Option(help: "Only the deliveries of this event id.")
        var event: String?

        @Option(help: "At most this many deliveries.")
        var limit: Int = 1000

        @Flag(help: "One JSON object per line.")
        var json = false

        func run() async throws {
            let store = try await options.openStore(try options.loadStoreView().store)
            let records = try await store.deliveries(state: state, event: event, limit: limit)
            try await store.close()
            if let event, records.isEmpty {
                throw CommandFailure("no deliveries of event \(event) (an unknown id, or an event with no destinations)")
            }
            printEach(records, json: json) { record in
                let next = record.nextAttemptAt.map { "  next \($0.formatted(.iso8601))" } ?? ""
                let last = record.lastStatus.map { "  last \($0)" } ?? ""
                let key = record.orderingKey.map { "  key \($0.escapingControlCharacters)\(record.holdsKey ? " (held)" : "")" } ?? ""
                return "\(record.event)  \(record.source) → \(record.destination)  \(record.state.rawValue)  attempts \(record.attempts)\(last)\(next)\(key)"
                    + (record.lastError.map { "  \($0)" } ?? "")
            }
        }
    }

    /// `postern deliveries attempts --event ID`: the attempt history of one event's deliveries.
    struct Attempts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every attempt made to deliver one event.")

        @OptionGroup var options: ConfigOption

        @Option(help: "The event id (as the 200 answer and `events list` give it).")
        var event: String

        @Flag(help: "One JSON object per line.")
        var json = false

        func run() async throws {
            let store = try await options.openStore(try options.loadStoreView().store)
            let attempts = try await store.attempts(event: event)
            try await store.close()
            if attempts.isEmpty {
                throw CommandFailure("no delivery attempts of event \(event) (an unknown id, or none made yet)")
            }
            printEach(attempts, json: json) { attempt in
                "\(attempt.time.formatted(.iso8601))  \(attempt.destination)  \(attempt.status.map(String.init) ?? "-")  \(attempt.latencyMs) ms"
                    + (attempt.error.map { "  \($0)" } ?? "")
            }
        }
    }

    /// `postern deliveries skip --event ID --destination D`: lets an ordering key that a dead letter holds go on.
    struct Skip: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let the events after a dead letter of an ordered destination (onFailure: block) go on.",
            discussion: "The dead letter stays dead and replayable; the later events of its key are delivered from now on.")

        @OptionGroup var options: ConfigOption

        @Option(help: "The dead letter's event id.")
        var event: String

        @Option(help: "The ordered destination it is dead to.")
        var destination: String

        func run() async throws {
            let store = try await options.openStore(try options.loadStoreView().store)
            let released = try await store.releaseKey(event: event, destination: destination)
            try await store.close()
            guard released else {
                throw CommandFailure("event \(event) holds no ordering key of \(destination) (not a dead letter of an ordered destination with onFailure: block, or already skipped)")
            }
            print("skipped: the later events of its key to \(destination) are delivered from now on")
        }
    }
}

extension DeliveryState: ExpressibleByArgument {}
