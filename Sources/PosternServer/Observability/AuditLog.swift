import Foundation
import PosternCore
import Synchronization

/// Writes one JSON line per decision (requests, dead letters, replays) to standard output or to a file, in the
/// order decisions are made.
public final class AuditLog: Sendable {
    /// The output's descriptor; the mutex keeps lines whole and in order.
    private let descriptor: Mutex<Int32>
    private let closeOnDeinit: Bool

    /// Opens the audit output; a file is created if needed and appended to.
    public init(_ output: AuditOutput) throws {
        switch output {
        case .stdout:
            descriptor = Mutex(STDOUT_FILENO)
            closeOnDeinit = false
        case .file(let path):
            // O_APPEND: every line lands at the end, even with a second writer (`postern replay`) on the same file.
            let file = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
            guard file >= 0 else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            descriptor = Mutex(file)
            closeOnDeinit = true
        }
    }

    deinit {
        if closeOnDeinit { descriptor.withLock { _ = close($0) } }
    }

    /// A request's decision, written by hand: this runs on every request (see `AuditRecord.jsonLine`).
    public func write(_ record: AuditRecord) {
        append(record.jsonLine)
    }

    /// Any other decision (dead letters, replays).
    public func write(_ record: some Encodable) {
        append(JSONOutput.encode(record) + [UInt8(ascii: "\n")])
    }

    /// Writes the whole line with as few system calls as the output allows; a line that cannot be written is
    /// dropped (the audit must never stop the gateway).
    private func append(_ line: [UInt8]) {
        descriptor.withLock { file in
            line.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = Foundation.write(file, bytes.baseAddress! + offset, bytes.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }
}
