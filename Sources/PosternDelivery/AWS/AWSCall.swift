import Crypto
import Foundation
import PosternCore
import PosternVerify

/// The API call one delivery makes to an AWS destination: EventBridge `PutEvents` and SQS `SendMessage` in the AWS
/// JSON protocol, SNS `Publish` in the query protocol. Built from the event (its body, or the destination's
/// `body:` template), or refused as unsendable.
struct AWSCall: Sendable {
    /// `X-Amz-Target` (JSON protocol); nil for the query protocol.
    var target: String?
    var contentType: String
    var body: [UInt8]

    /// What an unsendable event lacks.
    struct Unsendable: Error {
        var reason: String
    }

    static func make(_ delivery: DueDelivery, settings: AWSSettings, template: BodyTemplate?) -> Result<AWSCall, Unsendable> {
        let values = OutgoingRequest.values(delivery)
        switch settings.target {
        case .eventBridge(let bus, let source, let detailType):
            // Detail is a JSON object: the template's, the JSON body, or a form's fields.
            let detail: JSONValue? = template.map { $0.render(values) } ?? values.document
            guard case .object? = detail, let detail else {
                return .failure(Unsendable(reason: "EventBridge takes a JSON object as an event's detail: give the destination a body: template"))
            }
            var entry: [JSONKey: JSONValue] = [
                "Source": .string(source.map { BodyTemplate.text(rendering: $0, values) } ?? "postern.\(delivery.source)"),
                "DetailType": .string(detailType.map { BodyTemplate.text(rendering: $0, values) } ?? delivery.source),
                "Detail": .string(detail.jsonText),
                "EventBusName": .string(bus),
            ]
            if let received = delivery.receivedAt { entry["Time"] = .number(JSONNumber(Int(received.timeIntervalSince1970))) }
            return .success(json("AWSEvents.PutEvents", version: "1.1", ["Entries": .array([.object(entry)])]))
        case .sqs(let queueURL):
            guard let message = messageText(delivery, template: template, values: values) else { return .failure(notText) }
            var fields: [JSONKey: JSONValue] = [
                "QueueUrl": .string(queueURL),
                "MessageBody": .string(message),
                "MessageAttributes": .object(Dictionary(uniqueKeysWithValues: attributes(delivery).map { name, value in
                    (JSONKey(name), JSONValue.object(["DataType": .string("String"), "StringValue": .string(value)]))
                })),
            ]
            if settings.isFIFO {
                fields["MessageGroupId"] = .string(messageGroup(delivery))
                fields["MessageDeduplicationId"] = .string(delivery.eventID)
            }
            return .success(json("AmazonSQS.SendMessage", version: "1.0", fields))
        case .sns(let topicARN):
            guard let message = messageText(delivery, template: template, values: values) else { return .failure(notText) }
            var form: [(String, String)] = [("Action", "Publish"), ("Version", "2010-03-31"), ("TopicArn", topicARN), ("Message", message)]
            for (index, (name, value)) in attributes(delivery).enumerated() {
                let prefix = "MessageAttributes.entry.\(index + 1)"
                form += [("\(prefix).Name", name), ("\(prefix).Value.DataType", "String"), ("\(prefix).Value.StringValue", value)]
            }
            if settings.isFIFO {
                form += [("MessageGroupId", messageGroup(delivery)), ("MessageDeduplicationId", delivery.eventID)]
            }
            let body = form.map { "\($0.percentEncoded)=\($1.percentEncoded)" }.joined(separator: "&")
            return .success(AWSCall(target: nil, contentType: "application/x-www-form-urlencoded; charset=utf-8", body: Array(body.utf8)))
        }
    }

    static let notText = Unsendable(reason: "the message must be UTF-8 text: give the destination a body: template")

    static func json(_ target: String, version: String, _ fields: [JSONKey: JSONValue]) -> AWSCall {
        AWSCall(target: target, contentType: "application/x-amz-json-\(version)", body: Array(JSONValue.object(fields).jsonText.utf8))
    }

    /// The message: the template's JSON, or the event's body as it came (when it is UTF-8).
    static func messageText(_ delivery: DueDelivery, template: BodyTemplate?, values: BodyTemplate.Values) -> String? {
        if let template { return template.render(values).jsonText }
        return String(validating: delivery.body, as: UTF8.self)
    }

    /// Message attributes every message carries, for consumers that filter or trace.
    static func attributes(_ delivery: DueDelivery) -> [(String, String)] {
        [("postern.eventId", delivery.eventID), ("postern.correlationId", delivery.correlationID ?? delivery.eventID),
         ("postern.source", delivery.source)]
    }

    /// A FIFO message group: the ordering key (so one conversation stays in order), else the source. A key AWS would
    /// refuse (over 128 characters, or outside its alphanumerics and punctuation) is sent as its SHA-256.
    static func messageGroup(_ delivery: DueDelivery) -> String {
        let key = delivery.orderingKey ?? delivery.source
        let allowed = key.utf8.count <= 128 && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
        return allowed ? key : "sha256-" + ByteEncoding.hex.encode(SHA256.hash(data: Array(key.utf8)))
    }
}
