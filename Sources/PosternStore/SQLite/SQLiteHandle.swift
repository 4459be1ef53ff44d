import NIOPosix
import CSQLite

/// One SQLite connection with a thread of its own. Work is handed to that thread a whole transaction at a time
/// (`run`), so a group commit costs one thread switch however many statements it runs, and every statement is
/// prepared once and kept.
final class SQLiteHandle: @unchecked Sendable {
    /// The most prepared statements kept; past it the cache starts again (only ad-hoc reads vary their text).
    private static let maxStatements = 64

    // Touched only on `thread`, by one `run` at a time.
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    private let thread: NIOThreadPool

    private init(db: OpaquePointer?, thread: NIOThreadPool) {
        self.db = db
        self.thread = thread
    }

    /// Opens (creating if needed) the database file, with a busy timeout instead of SQLite's endless spin.
    static func open(path: String) async throws -> SQLiteHandle {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        do {
            let db = try await thread.runIfActive { () throws -> OpaquePointerBox in
                var db: OpaquePointer?
                let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
                let code = sqlite3_open_v2(path, &db, flags, nil)
                guard code == SQLITE_OK else {
                    let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open"
                    sqlite3_close(db)
                    throw SQLiteFailure(code: code, message: "\(path): \(message)")
                }
                sqlite3_busy_timeout(db, 5000)
                SQLiteFormFunction.register(db)
                return OpaquePointerBox(pointer: db)
            }
            return SQLiteHandle(db: db.pointer, thread: thread)
        } catch {
            try? await thread.shutdownGracefully()
            throw error
        }
    }

    /// Runs `body` on the connection's thread, after the work handed over before it.
    func run<T: Sendable>(_ body: @escaping @Sendable (SQLiteHandle) throws -> T) async throws -> T {
        try await thread.runIfActive { try body(self) }
    }

    /// Finalizes the statements, closes the connection and stops its thread.
    func close() async throws {
        try await run { handle in
            for statement in handle.statements.values { sqlite3_finalize(statement) }
            handle.statements.removeAll()
            sqlite3_close(handle.db)
            handle.db = nil
        }
        try await thread.shutdownGracefully()
    }

    // MARK: On the connection's thread (inside `run`)

    /// Runs SQL text that may hold several statements and returns no rows (pragmas, migrations, BEGIN/COMMIT).
    func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(db, sql, nil, nil, &error)
        guard code == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? "error \(code)"
            sqlite3_free(error)
            throw SQLiteFailure(code: code, message: message)
        }
    }

    /// Runs one statement with its parameters and returns its rows.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLiteValue] = []) throws -> [SQLiteRow] {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, value) in binds.enumerated() { try check(bind(value, to: statement, at: Int32(index + 1))) }
        let columns = (0..<sqlite3_column_count(statement)).map {
            String(cString: sqlite3_column_name(statement, $0))
        }
        var rows: [SQLiteRow] = []
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else { throw failure(code) }
            rows.append(SQLiteRow(columns: columns, values: columns.indices.map { value(of: statement, at: Int32($0)) }))
        }
    }

    /// Throws when SQLite opened the file read-only, which it does without an error when the file cannot be written.
    func requireWritable() throws {
        guard sqlite3_db_readonly(db, "main") == 1 else { return }
        throw SQLiteFailure(code: SQLITE_READONLY, message: "the file is read-only")
    }

    /// The frames in the write-ahead log after this connection's last commit, once `checkpointsByCaller` is on.
    private(set) var walFrames = 0

    /// Stops SQLite from checkpointing inside this connection's commits (where it would stall every request waiting
    /// on the next commit) and starts counting the log's frames, so the caller checkpoints elsewhere.
    func checkpointsByCaller() {
        sqlite3_wal_hook(db, { context, _, _, frames in
            Unmanaged<SQLiteHandle>.fromOpaque(context!).takeUnretainedValue().walFrames = Int(frames)
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Copies what it can of the log into the database without waiting for the writer (a passive checkpoint) and
    /// returns how many frames the log holds and how many of them are now copied.
    func checkpoint() throws -> (frames: Int, copied: Int) {
        var frames: Int32 = 0
        var copied: Int32 = 0
        try check(sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied))
        return (Int(frames), Int(copied))
    }

    /// The rows the last INSERT, UPDATE or DELETE changed.
    var changes: Int { Int(sqlite3_changes(db)) }

    /// Runs `body` between BEGIN IMMEDIATE and COMMIT, rolling back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        if statements.count >= Self.maxStatements {
            for statement in statements.values { sqlite3_finalize(statement) }
            statements.removeAll()
        }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw failure(code) }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLiteValue, to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch value {
        case .integer(let number): sqlite3_bind_int64(statement, index, Int64(number))
        case .float(let number): sqlite3_bind_double(statement, index, number)
        case .text(let text):
            sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
        case .blob(let bytes) where bytes.isEmpty: sqlite3_bind_zeroblob(statement, index, 0)
        case .blob(let bytes):
            bytes.withUnsafeBytes { sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), Self.transient) }
        case .null: sqlite3_bind_null(statement, index)
        }
    }

    private func value(of statement: OpaquePointer, at column: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(Int(sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let text = sqlite3_column_text(statement, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let blob = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default: return .null
        }
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw failure(code) }
    }

    private func failure(_ code: Int32) -> SQLiteFailure {
        SQLiteFailure(code: code, message: String(cString: sqlite3_errmsg(db)))
    }

    /// SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// A raw pointer carried out of the connection's thread once, at open.
private struct OpaquePointerBox: @unchecked Sendable {
    var pointer: OpaquePointer?
}

/// An error SQLite reported, with its result code and message.
struct SQLiteFailure: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    var description: String { "SQLite error \(code): \(message)" }
}
