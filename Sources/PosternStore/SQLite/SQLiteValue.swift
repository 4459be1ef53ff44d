/// A value bound to or read from a statement.
enum SQLiteValue: Sendable, Equatable {
    case integer(Int)
    case float(Double)
    case text(String)
    case blob([UInt8])
    case null

    var integer: Int? { if case .integer(let number) = self { number } else { nil } }
    var double: Double? {
        switch self {
        case .float(let number): number
        case .integer(let number): Double(number)
        default: nil
        }
    }
    var string: String? { if case .text(let text) = self { text } else { nil } }
    var blob: [UInt8]? { if case .blob(let bytes) = self { bytes } else { nil } }
}

/// One row of a result, its values found by column name.
struct SQLiteRow: Sendable {
    var columns: [String]
    var values: [SQLiteValue]

    func column(_ name: String) -> SQLiteValue? {
        columns.firstIndex(of: name).map { values[$0] }
    }
}
