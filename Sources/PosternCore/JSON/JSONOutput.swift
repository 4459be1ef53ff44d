import Foundation

/// The one way Postern writes JSON from `Codable` values: admin answers, `--json` lines of the CLI, the audit lines
/// of deliveries and replays, and the bodies sent to Genesys. Keys sorted, slashes unescaped, dates ISO 8601 UTC
/// with milliseconds (as the audit line writes them). The hand-written writers (`JSONText`, `JSONValue.jsonText`,
/// `AuditRecord.jsonLine`) are kept only on the request path, where docs/performance.md measured their gain.
public enum JSONOutput {
    /// The encoded value; a value that cannot be encoded (a non-finite number) is `{}`.
    public static func encode(_ value: some Encodable) -> [UInt8] {
        (try? encoder.encode(value)).map(Array.init) ?? Array("{}".utf8)
    }

    /// The encoded value as text.
    public static func text(_ value: some Encodable) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        return encoder
    }()
}

/// An answer's field that is always written: `null` when it has no value, where `Codable` would leave it out.
@propertyWrapper
public struct AlwaysWritten<Value: Encodable & Sendable>: Encodable, Sendable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}
