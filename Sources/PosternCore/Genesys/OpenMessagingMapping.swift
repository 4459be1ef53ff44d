import Foundation

/// What a Genesys destination posts for each event: an inbound message, a receipt for an outbound message (Delivered
/// or Failed), or a typing event (developer.genesys.cloud, Open Messaging inbound messages, receipts and events).
public enum OpenMessagingKind: String, Sendable, CaseIterable {
    case message
    case receipt
    case typing

    /// The inbound call's last path component: `message`, `receipt` or `event`.
    var pathComponent: String {
        switch self {
        case .message: "message"
        case .receipt: "receipt"
        case .typing: "event"
        }
    }
}

/// How an event's JSON becomes a Genesys Open Messaging inbound body. Each field is taken from the first JSON pointer
/// that finds a value. The defaults read both the tutorial's `{sessionId, userId, transcript, timestamp}` and the
/// Cognigy Webhook Endpoint's output `{userId, sessionId, text, data}`.
///
/// - message: `{"channel": {"messageId", "time", "from": {"id", "idType": "Opaque", "nickname"}, "metadata":
///   {"customAttributes"}}, "text"}`; the custom attributes (string values of the `data` object by default) reach the
///   Architect flow as participant data.
/// - receipt: `{"id": <the outbound message's id>, "channel": {"to": {"id", "idType"}, "time"}, "status": "Delivered" |
///   "Failed", "direction": "Outbound", "isFinalReceipt": true}`, with a reason when it failed.
/// - typing: `{"channel": {"from", "time"}, "events": [{"eventType": "Typing", "typing": {"type": "On"}}]}`.
public struct OpenMessagingMapping: Sendable, Equatable {
    /// Pointers to a stable message id; when none finds one, the gateway's event id (stable across retries).
    public var messageId: [String]
    public var time: [String]
    public var fromId: [String]
    /// Pointers to the customer's display name; `defaultNickname` when none finds one (never the raw user id).
    public var nickname: [String]
    public var defaultNickname: String
    public var text: [String]
    /// Pointers to an object whose string values become `channel.metadata.customAttributes`.
    public var customAttributes: [String]
    /// Pointers to the id of the outbound message a receipt is for.
    public var receiptId: [String]
    /// Pointers to a receipt's status: `delivered` or `failed`, in any case.
    public var status: [String]
    /// Pointers to why a failed receipt failed.
    public var reason: [String]

    public init(messageId: [String] = ["/messageId"], time: [String] = ["/timestamp", "/time"],
                fromId: [String] = ["/userId", "/from/id"],
                nickname: [String] = ["/nickname", "/userName", "/displayName", "/data/nickname", "/data/name"],
                defaultNickname: String = "Customer", text: [String] = ["/transcript", "/AIOutput/text", "/text"],
                customAttributes: [String] = ["/data", "/customAttributes"], receiptId: [String] = ["/messageId", "/id"],
                status: [String] = ["/status"], reason: [String] = ["/reason", "/error"]) {
        self.messageId = messageId
        self.time = time
        self.fromId = fromId
        self.nickname = nickname
        self.defaultNickname = defaultNickname
        self.text = text
        self.customAttributes = customAttributes
        self.receiptId = receiptId
        self.status = status
        self.reason = reason
    }

    /// Why an event cannot become a body: a required field that no pointer finds.
    public struct Problem: Error, Sendable, Equatable {
        public var message: String
    }

    /// The inbound body of `kind` for an event, or the field that is missing.
    public func body(_ kind: OpenMessagingKind, from body: [UInt8], eventID: String, receivedAt: Date) -> Result<[UInt8], Problem> {
        self.body(kind, document: try? JSONParser.parse(body), eventID: eventID, receivedAt: receivedAt)
    }

    /// The inbound body of `kind` for an event's fields (its JSON or form body), or the field that is missing.
    public func body(_ kind: OpenMessagingKind, document: JSONValue?, eventID: String, receivedAt: Date) -> Result<[UInt8], Problem> {
        guard let document else { return .failure(Problem(message: "the event has no fields (it is neither JSON nor a form)")) }
        let fields = Fields(document: document)
        let time = fields.first(time).flatMap(Self.isoTime) ?? receivedAt.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        guard let from = fields.first(fromId) else {
            return .failure(Problem(message: "no sender id at \(fromId.joined(separator: " or "))"))
        }
        switch kind {
        case .message:
            guard let text = fields.first(text) else {
                return .failure(Problem(message: "no text at \(self.text.joined(separator: " or "))"))
            }
            let sender = Participant(id: from, nickname: fields.first(nickname) ?? defaultNickname)
            let attributes = fields.strings(customAttributes)
            let channel = Message.Channel(messageId: fields.first(messageId) ?? eventID, time: time, from: sender,
                                          metadata: attributes.isEmpty ? nil : .init(customAttributes: attributes))
            return .success(JSONOutput.encode(Message(channel: channel, text: text)))
        case .receipt:
            guard let id = fields.first(receiptId) else {
                return .failure(Problem(message: "no message id at \(receiptId.joined(separator: " or "))"))
            }
            let written = fields.first(status)?.lowercased()
            guard let state = written.flatMap({ ["delivered": "Delivered", "failed": "Failed"][$0] }) else {
                return .failure(Problem(message: "no status (delivered or failed) at \(status.joined(separator: " or "))"))
            }
            let reasons = state == "Failed" ? [Receipt.Reason(message: fields.first(reason) ?? "delivery failed")] : nil
            return .success(JSONOutput.encode(Receipt(id: id, channel: .init(to: Participant(id: from, nickname: nil), time: time),
                                                      status: state, reasons: reasons)))
        case .typing:
            let sender = Participant(id: from, nickname: fields.first(nickname) ?? defaultNickname)
            return .success(JSONOutput.encode(TypingEvent(channel: .init(from: sender, time: time))))
        }
    }

    /// The first non-empty string (or number, as its text) the pointers find, and the string members of objects.
    struct Fields {
        let document: JSONValue

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

        func strings(_ pointers: [String]) -> [String: String] {
            for pointer in pointers {
                guard case .object(let members)? = document.value(at: pointer) else { continue }
                var strings: [String: String] = [:]
                for (key, value) in members {
                    switch value {
                    case .string(let text): strings[key.name] = text
                    case .number(let number): strings[key.name] = number.text
                    case .bool(let flag): strings[key.name] = String(flag)
                    default: continue
                    }
                }
                return strings
            }
            return [:]
        }
    }

    /// A sender or recipient (`OpenMessagingFromRecipient`, `OpenMessagingToRecipient`).
    struct Participant: Encodable {
        var id: String
        var idType = "Opaque"
        var nickname: String?
    }

    /// An inbound message (`OpenInboundNormalizedMessage`).
    struct Message: Encodable {
        struct Channel: Encodable {
            struct Metadata: Encodable {
                var customAttributes: [String: String]
            }

            var messageId: String
            var time: String
            var from: Participant
            var metadata: Metadata?
        }

        var channel: Channel
        var text: String
    }

    /// A receipt for an outbound message (`OpenInboundNormalizedReceipt`).
    struct Receipt: Encodable {
        struct Channel: Encodable {
            var to: Participant
            var time: String
        }

        struct Reason: Encodable {
            var code = "GeneralError"
            var message: String
        }

        var id: String
        var channel: Channel
        var status: String
        var direction = "Outbound"
        var isFinalReceipt = true
        var reasons: [Reason]?
    }

    /// A typing event (`OpenInboundNormalizedEvent` with an `OpenMessageEvent`).
    struct TypingEvent: Encodable {
        struct Channel: Encodable {
            var from: Participant
            var time: String
        }

        struct Event: Encodable {
            struct Typing: Encodable {
                var type = "On"
            }

            var eventType = "Typing"
            var typing = Typing()
        }

        var channel: Channel
        var events = [Event()]
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
