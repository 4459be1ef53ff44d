import Foundation
import PosternCore

/// One claimed delivery's life in the dispatcher, as a value: claimed, its attempt running, its verdict being
/// recorded, then done — or given back unrecorded, so that it is pending again. A step that does not follow from
/// the one before is refused, so an attempt is never started twice nor recorded twice. Per-key ordering (a later
/// issue) decides here which claimed delivery may start.
struct DeliveryLife: Sendable, Equatable {
    enum Step: Sendable, Equatable {
        case claimed
        case attempting(since: Date)
        case recording(DeliveryVerdict)
        /// Recorded with its verdict: delivered, to be retried at its time, or dead-lettered.
        case finished(DeliveryVerdict)
        /// Its attempt could not be recorded: the claim is given back and the delivery is attempted again.
        case released
    }

    let id: Int64
    let destination: String
    private(set) var step: Step = .claimed

    init(id: Int64, destination: String) {
        self.id = id
        self.destination = destination
    }

    /// Whether the dispatcher is done with it, so its destination's concurrency slot is free.
    var isOver: Bool {
        switch step {
        case .finished, .released: true
        case .claimed, .attempting, .recording: false
        }
    }

    /// The attempt starts; false (nothing changes) unless the delivery was just claimed.
    mutating func start(at time: Date) -> Bool {
        guard step == .claimed else { return false }
        step = .attempting(since: time)
        return true
    }

    /// The attempt's verdict is known and about to be recorded; false unless an attempt was running.
    mutating func decide(_ verdict: DeliveryVerdict) -> Bool {
        guard case .attempting = step else { return false }
        step = .recording(verdict)
        return true
    }

    /// The verdict is durable; false unless one was being recorded.
    mutating func recorded() -> Bool {
        guard case .recording(let verdict) = step else { return false }
        step = .finished(verdict)
        return true
    }

    /// The verdict could not be recorded, so the claim is given back; false unless one was being recorded.
    mutating func release() -> Bool {
        guard case .recording = step else { return false }
        step = .released
        return true
    }
}
