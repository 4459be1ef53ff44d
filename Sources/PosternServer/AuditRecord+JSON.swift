import Foundation
import PosternCore

extension AuditRecord {
    /// The record as one JSON line, keys sorted, absent fields left out — what `JSONEncoder` with sorted keys would
    /// write, without its cost on every request.
    var jsonLine: String {
        var fields: [String] = []
        func add(_ key: String, _ text: String?) { if let text { fields.append("\"\(key)\":\(JSONText.quoted(text))") }}
        func add(_ key: String, number: String?) { if let number { fields.append("\"\(key)\":\(number)") }}
        add("answer", answer)
        add("caller", caller)
        add("clientSubject", clientSubject)
        add("correlationId", correlationId)
        add("decision", decision)
        add("eventId", eventId)
        add("latencyMs", number: String(latencyMs))
        add("method", method)
        add("path", path)
        add("reason", reason)
        add("scheme", scheme)
        add("secretIndex", number: secretIndex.map(String.init))
        add("source", source)
        add("status", number: String(status))
        add("time", AuditTime.format(time))
        return "{" + fields.joined(separator: ",") + "}\n"
    }
}

/// ISO 8601 UTC with milliseconds (`2026-11-25T10:00:00.000Z`), formatted by hand for the audit line.
enum AuditTime {
    static func format(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(millis / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis % 1000), 3))Z"
    }
}
