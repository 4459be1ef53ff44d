import Foundation
import PosternCore
import PosternDelivery
import Synchronization
import UnixSignals

/// Reads accepted events from a gateway's admin API, oldest first from a position, and posts each to the local
/// destination as a delivery would be sent (`OutgoingRequest`: body, kept headers, `Idempotency-Key`, signature).
struct Forwarder: Sendable {
    let admin: AdminClient
    let client: DeliveryClient
    let destination: DestinationConfig
    let source: String?
    /// Set on SIGINT or SIGTERM: the event being posted is finished and its position saved, then nothing more.
    let stopping = StopFlag()

    /// Rings on every accepted decision the stream reports, and every 2 s besides (a dropped stream, a missed ring).
    func doorbell() -> AsyncStream<Void> {
        let (rings, ring) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let query = "?outcome=accepted" + (source.map { "&source=\($0.percentEncoded)" } ?? "")
        Task {
            var reader = ServerSentEvents()
            while true {
                try? await admin.decisions(query, reader: &reader) { _ in ring.yield() }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        Task {
            while true {
                ring.yield()
                try? await Task.sleep(for: .seconds(2))
            }
        }
        Task { [stopping] in
            for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                stopping.set()
                ring.yield()
            }
        }
        return rings
    }

    /// Forwards every event past the position, in receive order; `save` is called after each one is taken.
    func drain(_ position: inout ForwardPosition, save: (ForwardPosition) throws -> Void) async throws {
        var cursor: String?
        repeat {
            var query = "?order=oldest&limit=200&since=" + String(format: "%.3f", Double(position.readFromMilliseconds) / 1000)
            if let source { query += "&source=" + source.percentEncoded }
            if let cursor { query += "&cursor=" + cursor.percentEncoded }
            let page = try await admin.json("/admin/v1/events" + query)
            guard case .object(let fields) = page, case .array(let events)? = fields["events"] else { return }
            for case .object(let event) in events where !stopping.isSet {
                guard case .string(let id)? = event["id"], position.forwarded[id] == nil,
                      case .string(let received)? = event["receivedAt"], let time = RFC3339.parse(received) else { continue }
                try await forward(id)
                position.record(id, receivedAt: time.millisecondsSince1970)
                try save(position)
            }
            if case .string(let next)? = fields["nextCursor"] { cursor = next } else { cursor = nil }
        } while cursor != nil && !stopping.isSet
    }

    /// Posts one event until the local service takes it (a 2xx): a service restarting is waited for, in order.
    private func forward(_ id: String) async throws {
        let delivery = try await self.delivery(id)
        var pause = Duration.milliseconds(500)
        while true {
            let started = ContinuousClock.now
            do {
                let answer = try await client.send(OutgoingRequest(delivery, to: forwarding(delivery), now: Date()),
                                                   timeout: destination.timeout)
                let took = (ContinuousClock.now - started).seconds * 1000
                printNow("→ \(id)  \(delivery.source)  \(answer.status)  \(String(format: "%.0f", took)) ms")
                if (200..<300).contains(answer.status) { return }
            } catch {
                printNow("→ \(id)  \(delivery.source)  failed: \(error)")
            }
            if stopping.isSet { throw CancellationError() }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(5))
        }
    }

    /// The destination with every kept header of this event passed on.
    private func forwarding(_ delivery: DueDelivery) -> DestinationConfig {
        var destination = destination
        destination.forwardHeaders = delivery.headers.map { $0.name.lowercased() }
        return destination
    }

    /// The event as the admin API has it, in the shape a delivery attempt sends.
    private func delivery(_ id: String) async throws -> DueDelivery {
        guard case .object(let document) = try await admin.json("/admin/v1/events/" + id.percentEncoded),
              case .object(let event)? = document["event"], case .string(let source)? = event["source"] else {
            throw AdminClient.Refused(status: 502, message: "the event \(id) did not read")
        }
        var correlation: String?
        if case .string(let value)? = event["correlationId"] { correlation = value }
        var headers: [(name: String, value: String)] = []
        if case .array(let pairs)? = document["headers"] {
            for case .array(let pair) in pairs where pair.count == 2 {
                if case .string(let name) = pair[0], case .string(let value) = pair[1] { headers.append((name, value)) }
            }
        }
        var body: [UInt8] = []
        if case .string(let text)? = document["body"] { body = Array(text.utf8) }
        if case .string(let encoded)? = document["bodyBase64"], let data = Data(base64Encoded: encoded) { body = Array(data) }
        return DueDelivery(id: 0, eventID: id, source: source, destination: destination.name, correlationID: correlation,
                           headers: headers, body: body, attempts: 0, enqueuedAt: Date())
    }
}

/// A flag set once, from a signal handler's task, read by the forwarding loop.
final class StopFlag: Sendable {
    private let flag = Mutex(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}
