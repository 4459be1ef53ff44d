import ArgumentParser
import Foundation
import PosternCore
import PosternDelivery

/// `postern template test`: what a destination's body template and header placeholders make of one stored event,
/// rendered offline, nothing sent.
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Try destination templates.", subcommands: [Test.self])

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a destination's body (and its templated headers) for a stored event, without sending it.")

        @OptionGroup var options: ConfigOption

        @Option(help: "The destination whose templates are rendered.")
        var destination: String

        @Option(help: "The stored event's id (evt_…).")
        var event: String

        func run() async throws {
            let config = try options.loadPlan().config
            guard let target = config.destinations.first(where: { $0.name == destination }) else {
                let known = config.destinations.map(\.name).joined(separator: ", ")
                throw CommandFailure("no destination is named \"\(destination)\" (configured: \(known.isEmpty ? "none" : known))")
            }
            let store = try await options.openStore(config.store)
            let found = try await store.event(id: event)
            try? await store.close()
            guard let found else { throw CommandFailure("no event has the id \(event)") }
            let delivery = DueDelivery(id: 0, eventID: found.event.id, source: found.event.source, destination: target.name,
                                       correlationID: found.event.correlationId, headers: found.headers, body: found.body,
                                       attempts: 0, enqueuedAt: Date(), receivedAt: found.event.receivedAt)
            let request = OutgoingRequest(delivery, to: target, now: Date())
            // Only the headers built from the event: the others are the destination's own, credentials among them.
            for header in target.headers where header.value.contains("{{") {
                if let sent = request.headers.last(where: { $0.name == header.name }) {
                    print("\(sent.name): \(sent.value)".escapingControlCharacters)
                }
            }
            print(String(decoding: request.body, as: UTF8.self))
        }
    }
}
