import Foundation
import PosternCore
@testable import PosternDelivery
import Testing

/// The AWS calls a delivery makes and how their answers are read: error codes from JSON, XML and headers, a failed
/// PutEvents entry, which codes are retried, and what an event needs to be sendable.
struct AWSCallTests {
    let credential = SigV4Credential(accessKeyID: "AKID", secretAccessKey: "secret")

    func delivery(_ body: String, contentType: String = "application/json", key: String? = nil) -> DueDelivery {
        DueDelivery(id: 1, eventID: "evt_1", source: "cognigy", destination: "d", correlationID: nil,
                    headers: [("Content-Type", contentType)], body: Array(body.utf8), attempts: 0,
                    enqueuedAt: Date(timeIntervalSince1970: 0), orderingKey: key)
    }

    @Test func errorCodesAreReadFromEveryProtocolAndDecideTheRetry() {
        let json = AWSAnswer.error(status: 400, body: Array(#"{"__type":"com.amazonaws.sqs#ThrottlingException","message":"slow down"}"#.utf8), errorTypeHeader: nil)
        #expect(json == ServiceError(code: "ThrottlingException", message: "slow down", retryable: true))
        let xml = AWSAnswer.error(status: 400, body: Array("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>bad</Message></Error></ErrorResponse>".utf8), errorTypeHeader: nil)
        #expect(xml == ServiceError(code: "InvalidParameter", message: "bad", retryable: false))
        let header = AWSAnswer.error(status: 503, body: [], errorTypeHeader: "ServiceUnavailableException:http://internal.amazon.com/")
        #expect(header?.code == "ServiceUnavailableException" && header?.retryable == true, "any 5xx is retried")
        #expect(AWSAnswer.error(status: 200, body: Array(#"{"MessageId":"m"}"#.utf8), errorTypeHeader: nil) == nil)
        let failedEntry = AWSAnswer.error(status: 200, body: Array(#"{"FailedEntryCount":1,"Entries":[{"ErrorCode":"MalformedDetail","ErrorMessage":"no"}]}"#.utf8), errorTypeHeader: nil)
        #expect(failedEntry == ServiceError(code: "MalformedDetail", message: "no", retryable: false))
        #expect(AWSAnswer.error(status: 200, body: Array(#"{"FailedEntryCount":0,"Entries":[{"EventId":"e"}]}"#.utf8), errorTypeHeader: nil) == nil)

        var throttled = AttemptResult(status: 400)
        throttled.serviceError = json
        #expect(throttled.classification == .transient("AWS ThrottlingException: slow down") && !throttled.suggestsOutage)
        var invalid = AttemptResult(status: 400)
        invalid.serviceError = xml
        #expect(invalid.classification == .permanent("AWS InvalidParameter: bad") && invalid.summary == "HTTP 400 InvalidParameter")
    }

    @Test func eventBridgeNeedsAJSONObjectAndFIFOGroupsByTheOrderingKey() throws {
        let bridge = AWSSettings(target: .eventBridge(bus: "default", source: nil, detailType: "{{/type}}"), region: "eu-west-1", credential: credential)
        #expect(bridge.endpoint == "https://events.eu-west-1.amazonaws.com" && bridge.service == "events")
        let call = try AWSCall.make(delivery(#"{"type":"message","n":1}"#), settings: bridge, template: nil).get()
        let entry = try JSONParser.parse(call.body).value(at: "/Entries/0")
        #expect(entry?.value(at: "/Source") == .string("postern.cognigy") && entry?.value(at: "/DetailType") == .string("message"))
        #expect(entry?.value(at: "/Detail") == .string(#"{"n":1,"type":"message"}"#) || entry?.value(at: "/Detail") == .string(#"{"type":"message","n":1}"#))
        #expect(call.target == "AWSEvents.PutEvents" && call.contentType == "application/x-amz-json-1.1")
        #expect((try? AWSCall.make(delivery("[1]"), settings: bridge, template: nil).get()) == nil, "an array is no detail")
        #expect((try? AWSCall.make(delivery("a=1&b=2", contentType: "application/x-www-form-urlencoded"), settings: bridge, template: nil).get()) != nil,
                "a form's fields are an object")

        let fifo = AWSSettings(target: .sqs(queueURL: "https://sqs.eu-west-1.amazonaws.com/1/q.fifo"), region: "eu-west-1", credential: credential)
        #expect(fifo.isFIFO)
        let keyed = try JSONParser.parse(try AWSCall.make(delivery("{}", key: "conv-7"), settings: fifo, template: nil).get().body)
        #expect(keyed.value(at: "/MessageGroupId") == .string("conv-7") && keyed.value(at: "/MessageDeduplicationId") == .string("evt_1"))
        let unkeyed = try JSONParser.parse(try AWSCall.make(delivery("{}"), settings: fifo, template: nil).get().body)
        #expect(unkeyed.value(at: "/MessageGroupId") == .string("cognigy"), "the source, without an ordering key")
        #expect(AWSCall.messageGroup(delivery("{}", key: "Grüße")).hasPrefix("sha256-"), "a key AWS would refuse is hashed")
        #expect((try? AWSCall.make(DueDelivery(id: 1, eventID: "e", source: "s", destination: "d", correlationID: nil, headers: [],
                                               body: [0xFF, 0xFE], attempts: 0, enqueuedAt: Date()), settings: fifo, template: nil).get()) == nil,
                "a message must be UTF-8")
        #expect(AWSSettings(target: .sns(topicARN: "arn:aws-cn:sns:cn-north-1:1:t"), region: "cn-north-1", credential: credential).endpoint
                == "https://sns.cn-north-1.amazonaws.com.cn")
    }
}
