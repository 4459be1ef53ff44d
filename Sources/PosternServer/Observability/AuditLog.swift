import Foundation
import PosternCore
import Synchronization

/// Writes one JSON line per decision (requests, dead letters, replays) to standard output or to a file, in the
/// order decisions are made.
public final class AuditLog: Sendable {
    /// The output's descriptor; the mutex keeps lines whole and in order.
    private let descriptor: Mutex<Int32>
    /// The file written to; nil for standard output.
    private let path: String?

    /// Opens the audit output; a file is created if needed and appended to.
    public init(_ output: AuditOutput) throws {
        switch output {
        case .stdout:
            descriptor = Mutex(STDOUT_FILENO)
            path = nil
        case .file(let path):
            descriptor = Mutex(try Self.open(path))
            self.path = path
        }
    }

    /// Opens the file again by its path, as logrotate expects after renaming it: lines written until now went to the
    /// renamed file, the next ones go to a new file at the path. If it cannot be opened, writing goes on to the old
    /// one and the error is thrown. Standard output is left as it is.
    public func reopen() throws {
        guard let path else { return }
        let file = try Self.open(path)
        let old = descriptor.withLock { current in
            defer { current = file }
            return current
        }
        close(old)
    }

    private static func open(_ path: String) throws -> Int32 {
        // O_APPEND: every line lands at the end, even with a second writer (`postern replay`) on the same file.
        let file = Foundation.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard file >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        return file
    }

    deinit {
        if path != nil { descriptor.withLock { _ = close($0) } }
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
