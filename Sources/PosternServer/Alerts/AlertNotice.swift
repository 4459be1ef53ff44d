import Foundation
import PosternCore

/// One alert notice, as stored and sent: a rule starting to fire for a destination or source, or resolving. A
/// webhook target gets it as it is; Slack and Teams targets get its `title` and `text` in their own shape.
struct AlertNotice: Encodable {
    enum State: String, Encodable {
        case firing, resolved
    }

    var alert: String
    var state: State
    var condition: String
    var destination: String?
    var source: String?
    /// What was measured, e.g. "6 dead letters in the last 600 s (more than 5)".
    var detail: String
    /// When the episode began.
    var since: Date
    var at: Date

    var title: String { "\(state == .firing ? "FIRING" : "RESOLVED"): \(alert) (\(destination ?? source ?? ""))" }

    var text: String {
        switch state {
        case .firing: "\(detail)."
        case .resolved: "Resolved after \(Int(at.timeIntervalSince(since).rounded())) s: \(detail)."
        }
    }

    private enum CodingKeys: String, CodingKey {
        case alert, state, condition, destination, source, detail, since, at, title, text
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(alert, forKey: .alert)
        try container.encode(state, forKey: .state)
        try container.encode(condition, forKey: .condition)
        try container.encodeIfPresent(destination, forKey: .destination)
        try container.encodeIfPresent(source, forKey: .source)
        try container.encode(detail, forKey: .detail)
        try container.encode(since, forKey: .since)
        try container.encode(at, forKey: .at)
        try container.encode(title, forKey: .title)
        try container.encode(text, forKey: .text)
    }

    var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return Array((try? encoder.encode(self)) ?? Data("{}".utf8))
    }
}
