import CSQLite
import PosternCore

/// `postern_form_json(body)`: a form body (`application/x-www-form-urlencoded`) as the JSON object `FormBody` reads
/// it into, or NULL when it is not a valid form, so that a search by body field reads form bodies with SQLite's
/// `json_extract` as it reads JSON ones. Registered on every connection.
enum SQLiteFormFunction {
    static let name = "postern_form_json"

    static func register(_ db: OpaquePointer?) {
        sqlite3_create_function_v2(db, name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, { context, count, arguments in
            guard count == 1, let argument = arguments?[0], sqlite3_value_type(argument) != SQLITE_NULL else {
                sqlite3_result_null(context)
                return
            }
            let length = Int(sqlite3_value_bytes(argument))
            let bytes = sqlite3_value_blob(argument).map { Array(UnsafeRawBufferPointer(start: $0, count: length)) } ?? []
            guard let fields = try? FormBody.parse(bytes) else {
                sqlite3_result_null(context)
                return
            }
            let json = Array(fields.jsonText.utf8)
            json.withUnsafeBufferPointer { buffer in
                // SQLITE_TRANSIENT: SQLite copies the text before this buffer goes.
                sqlite3_result_text(context, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                    Int32(buffer.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            }
        }, nil, nil, nil)
    }
}
