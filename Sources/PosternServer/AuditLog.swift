import Foundation
import PosternCore
import Synchronization

/// Writes one JSON line per decision (requests, dead letters, replays) to standard output or to a file, in the
/// order decisions are made.
public final class AuditLog: Sendable {
    private let handle: Mutex<FileHandle>
    private let encoder: JSONEncoder

    /// Opens the audit output; a file is created if needed and appended to.
    public init(_ output: AuditOutput) throws {
        switch output {
        case .stdout:
            handle = Mutex(FileHandle.standardOutput)
        case .file(let path):
            // O_APPEND: every line lands at the end, even with a second writer (`postern replay`) on the same file.
            let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
            guard descriptor >= 0 else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            handle = Mutex(FileHandle(fileDescriptor: descriptor, closeOnDealloc: true))
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.encoder = encoder
    }

    /// A request's decision, written by hand (this runs on every request).
    public func write(_ record: AuditRecord) {
        let line = Data(record.jsonLine.utf8)
        handle.withLock { try? $0.write(contentsOf: line) }
    }

    /// Any other decision (dead letters, replays).
    public func write(_ record: some Encodable) {
        guard var line = try? encoder.encode(record) else { return }
        line.append(UInt8(ascii: "\n"))
        handle.withLock { try? $0.write(contentsOf: line) }
    }
}
