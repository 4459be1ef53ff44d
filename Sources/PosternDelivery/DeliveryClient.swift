import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PosternCore

/// Sends outgoing requests over one shared HTTP client: pooled connections, redirects never followed, the whole
/// attempt bounded by the destination's timeout.
public final class DeliveryClient: Sendable {
    /// The most of an answer's body read for a fulfillment answer.
    public static let maxAnswerBytes = 1_048_576
    /// How much of an answer's body is kept to explain a failure.
    static let excerptBytes = 300

    private let client: HTTPClient

    public init() {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// An answer as far as it was read: status, headers that matter, and body.
    public struct Answer: Sendable {
        public var status: Int
        public var retryAfter: String?
        /// `x-amzn-ErrorType`: an AWS service's error code, when it sends one as a header.
        public var errorType: String?
        public var body: [UInt8]
    }

    /// Sends the request and reads the answer within `timeout`.
    public func send(_ request: OutgoingRequest, timeout: Duration) async throws -> Answer {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if request.method != "GET" { outgoing.body = .bytes(ByteBuffer(bytes: request.body)) }
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        let response = try await client.execute(outgoing, deadline: deadline)
        var body = ByteBuffer()
        for try await var chunk in response.body {
            let room = Self.maxAnswerBytes - body.readableBytes
            guard room > 0 else { break }
            if chunk.readableBytes > room { chunk = chunk.getSlice(at: chunk.readerIndex, length: room)! }
            body.writeBuffer(&chunk)
        }
        return Answer(status: Int(response.status.code), retryAfter: response.headers.first(name: "retry-after"),
                      errorType: response.headers.first(name: "x-amzn-errortype"), body: Array(body.readableBytesView))
    }

    /// One delivery attempt: the answer's status, or why there was none, and how long it took.
    public func attempt(_ request: OutgoingRequest, timeout: Duration, now: Date) async -> AttemptResult {
        let started = ContinuousClock.now
        do {
            let answer = try await send(request, timeout: timeout)
            let latency = ContinuousClock.now - started
            let excerpt = String(decoding: answer.body.prefix(Self.excerptBytes), as: UTF8.self)
            return AttemptResult(status: answer.status, retryAfter: answer.retryAfter.flatMap { RetryAfter.delay($0, now: now) },
                                 latency: latency, bodyExcerpt: excerpt.isEmpty ? nil : excerpt)
        } catch {
            let latency = ContinuousClock.now - started
            return AttemptResult(failure: Self.failure(error), latency: latency)
        }
    }

    static func failure(_ error: any Error) -> AttemptResult.Failure {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout
            || error == .connectTimeout || error == .writeTimeout {
            return .timeout
        }
        return .connection(String(describing: error))
    }

    /// Runs `body` with a client that is shut down afterwards, whatever happens (for one-shot commands).
    public static func with<T>(_ body: (DeliveryClient) async throws -> T) async throws -> T {
        let client = DeliveryClient()
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
