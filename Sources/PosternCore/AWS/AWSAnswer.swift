/// Reads an AWS answer: the error code of a refusal (JSON `__type`, the query protocol's XML `<Code>`, or the
/// `x-amzn-ErrorType` header), a failed `PutEvents` entry, and which codes mean "try again later".
public enum AWSAnswer {
    /// The error an answer names, if any: for a 2xx, only a failed PutEvents entry.
    public static func error(status: Int, body: [UInt8], errorTypeHeader: String?) -> ServiceError? {
        let document = try? JSONParser.parse(body)
        if (200..<300).contains(status) {
            guard case .number(let failed)? = document?.value(at: "/FailedEntryCount"), failed.value > 0 else { return nil }
            let code = text(document?.value(at: "/Entries/0/ErrorCode")) ?? "FailedEntry"
            return ServiceError(code: code, message: text(document?.value(at: "/Entries/0/ErrorMessage")),
                                              retryable: isRetryable(code))
        }
        let code = text(document?.value(at: "/__type")).map(unqualified) ?? text(document?.value(at: "/code"))
            ?? xmlElement("Code", in: body) ?? errorTypeHeader.map(unqualified)
        guard let code, !code.isEmpty else { return nil }
        let message = text(document?.value(at: "/message")) ?? text(document?.value(at: "/Message")) ?? xmlElement("Message", in: body)
        return ServiceError(code: code, message: message.map { String($0.prefix(200)) },
                                          retryable: status >= 500 || isRetryable(code))
    }

    /// Throttling and transient errors as the AWS SDKs' standard retry mode lists them
    /// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
    static let retryableCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
        "InternalException", "ServiceUnavailable", "KmsThrottled", "KMSThrottlingException",
    ]

    static func isRetryable(_ code: String) -> Bool {
        retryableCodes.contains(code) || code.contains("Throttl")
    }

    /// `com.amazonaws.sqs#QueueDoesNotExist` → `QueueDoesNotExist`; `Code:http://…` → `Code`.
    static func unqualified(_ code: String) -> String {
        let afterHash = code.split(separator: "#").last.map(String.init) ?? code
        return afterHash.split(separator: ":").first.map(String.init) ?? afterHash
    }

    static func text(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { text } else { nil }
    }

    /// The text of the first `<name>…</name>` in an XML answer.
    static func xmlElement(_ name: String, in body: [UInt8]) -> String? {
        let text = String(decoding: body.prefix(65_536), as: UTF8.self)
        guard let open = text.range(of: "<\(name)>"), let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex)
        else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }
}
