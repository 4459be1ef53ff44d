import Foundation

/// A consistent copy of a SQLite store, taken while the gateway may be writing to it. `VACUUM INTO` reads one
/// snapshot (a read transaction, which WAL mode lets writers run beside), so the copy holds every event committed
/// before it began and nothing half-written, and it is compacted on the way.
public enum SQLiteBackup {
    /// A store that is not there, or a copy that would overwrite a file.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Copies the database at `path` to `destination`, which must not exist yet; returns how many events the copy
    /// holds, read back from the copy.
    public static func copy(_ path: String, to destination: String) async throws -> Int {
        guard FileManager.default.fileExists(atPath: path) else { throw Refusal(description: "\(path): no such store") }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw Refusal(description: "\(destination) exists already: a backup never overwrites a file")
        }
        let source = try await SQLiteHandle.open(path: path)
        do {
            try await source.run { try $0.query("VACUUM INTO ?", [.text(destination)]) }
            try await source.close()
        } catch {
            try? await source.close()
            throw error
        }
        let copy = try await SQLiteHandle.open(path: destination)
        let events = try? await copy.run { try $0.query("SELECT count(*) AS events FROM events").first?.column("events")?.integer }
        try await copy.close()
        return events ?? 0
    }
}
