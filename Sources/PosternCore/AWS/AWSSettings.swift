/// A destination on AWS (`type: eventbridge`, `sqs` or `sns`): what each delivery calls, where, and the credential
/// its requests are signed with (AWS Signature Version 4).
public struct AWSSettings: Sendable, Equatable {
    /// The call each delivery makes.
    public enum Target: Sendable, Equatable {
        /// EventBridge `PutEvents`, one entry: `source` and `detailType` are texts with placeholders.
        case eventBridge(bus: String, source: String?, detailType: String?)
        /// SQS `SendMessage`; a queue whose name ends in `.fifo` gets a message group and a deduplication id.
        case sqs(queueURL: String)
        /// SNS `Publish`; a topic whose name ends in `.fifo` likewise.
        case sns(topicARN: String)
    }

    public var target: Target
    public var region: String
    /// `scheme://host[:port]`: the service's regional endpoint, or a VPC endpoint or emulator (`endpoint:`).
    public var endpoint: String
    public var credential: SigV4Credential
    public var sessionToken: String?

    public init(target: Target, region: String, endpoint: String? = nil, credential: SigV4Credential, sessionToken: String? = nil) {
        self.target = target
        self.region = region
        self.endpoint = endpoint ?? "https://\(target.service).\(region).\(Self.domain(region))"
        self.credential = credential
        self.sessionToken = sessionToken
    }

    /// The signing name of the service.
    public var service: String { target.service }

    /// Whether the queue or topic is FIFO.
    public var isFIFO: Bool {
        switch target {
        case .eventBridge: false
        case .sqs(let url): url.hasSuffix(".fifo")
        case .sns(let arn): arn.hasSuffix(".fifo")
        }
    }

    /// `amazonaws.com`, or `amazonaws.com.cn` in the China regions.
    static func domain(_ region: String) -> String {
        region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
    }
}

extension AWSSettings.Target {
    public var service: String {
        switch self {
        case .eventBridge: "events"
        case .sqs: "sqs"
        case .sns: "sns"
        }
    }
}
