import Foundation

/// How an event's JSON becomes a Genesys Open Messaging inbound message:
/// `{"channel": {"messageId", "time", "from": {"id", "idType": "Opaque", "nickname"}}, "text"}`.
/// Each field is taken from the first JSON pointer that finds a value. The defaults read both the tutorial's
/// `{sessionId, userId, transcript, timestamp}` and Cognigy's Webhook-endpoint output `{userId, sessionId, AIOutput}`.
public struct OpenMessagingMapping: Sendable, Equatable {
    /// Pointers to a stable message id; when none finds one, the gateway's event id (stable across retries).
    public var messageId: [String]
    public var time: [String]
    public var fromId: [String]
    public var nickname: [String]
    public var text: [String]

    public init(messageId: [String] = ["/messageId"], time: [String] = ["/timestamp", "/time"],
                fromId: [String] = ["/userId", "/from/id"], nickname: [String] = ["/nickname", "/userName", "/userId"],
                text: [String] = ["/transcript", "/AIOutput/text", "/text"]) {
        self.messageId = messageId
        self.time = time
        self.fromId = fromId
        self.nickname = nickname
        self.text = text
    }

    /// Why an event cannot become a message: a required field that no pointer finds.
    public struct Problem: Error, Sendable, Equatable {
        public var message: String
    }

    /// The message body for an event, or the field that is missing.
    public func message(from body: [UInt8], eventID: String, receivedAt: Date) -> Result<[UInt8], Problem> {
        guard let document = try? JSONParser.parse(body) else { return .failure(Problem(message: "the event is not JSON")) }
        func first(_ pointers: [String]) -> String? {
            for pointer in pointers {
                switch document.value(at: pointer) {
                case .string(let text)? where !text.isEmpty: return text
                case .number(let number)?: return number.text
                default: continue
                }
            }
            return nil
        }
        guard let from = first(fromId) else {
            return .failure(Problem(message: "no sender id at \(fromId.joined(separator: " or "))"))
        }
        guard let text = first(text) else {
            return .failure(Problem(message: "no text at \(self.text.joined(separator: " or "))"))
        }
        let time = first(time).flatMap(Self.isoTime) ?? receivedAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        let sender = Message.Sender(id: from, nickname: first(nickname) ?? from)
        let message = Message(channel: .init(messageId: first(messageId) ?? eventID, time: time, from: sender), text: text)
        return .success(JSONOutput.encode(message))
    }

    /// The inbound message Genesys takes (developer.genesys.cloud, Open Messaging inbound message).
    struct Message: Encodable {
        struct Channel: Encodable {
            var messageId: String
            var time: String
            var from: Sender
        }

        struct Sender: Encodable {
            var id: String
            var idType = "Opaque"
            var nickname: String
        }

        var channel: Channel
        var text: String
    }

    /// An RFC 3339 time as Genesys takes it (UTC, milliseconds), from RFC 3339 text or Unix seconds or milliseconds.
    static func isoTime(_ text: String) -> String? {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let number = Double(text) {
            return Date(timeIntervalSince1970: number > 1e11 ? number / 1000 : number).formatted(style)
        }
        if let date = (try? Date(text, strategy: style)) ?? (try? Date(text, strategy: .iso8601)) { return date.formatted(style) }
        return nil
    }
}
