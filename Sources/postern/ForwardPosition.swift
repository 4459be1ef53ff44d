import Foundation

/// Where `postern forward` got to, kept in a local JSON file after every event it forwards: the receive time it has
/// reached, and the ids it forwarded within the settle window before it (an event committed a little after a later
/// one still comes, and none comes twice).
struct ForwardPosition: Codable, Equatable {
    /// How far back each read reaches before `sinceMilliseconds`: an event may commit up to this late.
    static let settleMilliseconds = 10_000

    var from: String
    var source: String?
    var sinceMilliseconds: Int
    /// Ids forwarded, with their receive times, no older than the settle window.
    var forwarded: [String: Int] = [:]

    /// The position saved for this gateway and source; nil when there is none (or it was for another).
    static func load(_ path: String, from: String, source: String?) throws -> ForwardPosition? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let position = try? JSONDecoder().decode(ForwardPosition.self, from: data) else {
            throw CommandFailure("\(path) is not a position postern forward wrote: move it away to start afresh")
        }
        return position.from == from && position.source == source ? position : nil
    }

    func save(_ path: String) throws {
        try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Where the next read starts.
    var readFromMilliseconds: Int { sinceMilliseconds - Self.settleMilliseconds }

    mutating func record(_ id: String, receivedAt: Int) {
        forwarded[id] = receivedAt
        sinceMilliseconds = max(sinceMilliseconds, receivedAt)
        forwarded = forwarded.filter { $0.value >= readFromMilliseconds }
    }
}
