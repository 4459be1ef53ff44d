import Foundation
import PosternCore
import Testing

/// Destinations, fulfillment sources and the retry policy: defaults, problems by key path, and the arithmetic.
struct DeliveryConfigTests {
    func decode(_ root: [String: ConfigValue]) -> Result<GatewayConfig, ConfigProblems> {
        Result { () throws(ConfigProblems) in try GatewayConfig.decode(ConfigNode(.map(root)), baseDirectory: "/etc/postern") }
    }

    func source(_ extra: [String: ConfigValue]) -> ConfigValue {
        .map(["name": .string("s"), "path": .string("/hook"), "verify": .map(["preset": .string("none")])]
            .merging(extra) { $1 })
    }

    let secret = "whsec_" + Data(repeating: 7, count: 32).base64EncodedString()

    @Test func destinationsDecodeWithSafeDefaults() throws {
        let config = try decode([
            "destinations": .list([
                .map(["name": .string("crm"), "url": .string("https://crm.example/hooks")]),
                .map(["name": .string("audit"), "url": .string("http://127.0.0.1:9000/in"), "timeout": .double(2.5),
                      "headers": .map(["Authorization": .string("Bearer t")]), "forwardHeaders": .list([.string("User-Agent")]),
                      "retry": .map(["maxAttempts": .int(3), "minDelay": .double(0.5), "maxDelay": .int(30),
                                     "maxAge": .int(600), "retryAfterCap": .int(60)]),
                      "circuit": .map(["failureThreshold": .int(2), "cooldown": .int(10)]),
                      "signing": .map(["secret": .string(secret)]), "concurrency": .int(2)]),
            ]),
            "sources": .list([source(["destinations": .list([.string("crm"), .string("audit")])])]),
        ]).get()
        let crm = try #require(config.destination(named: "crm"))
        #expect(crm.timeout == 10 && crm.retry == RetryPolicy() && crm.circuit == CircuitBreakerPolicy() && crm.signingSecret == nil)
        #expect(RetryPolicy().retryAfterCap == 180)
        let audit = try #require(config.destination(named: "audit"))
        #expect(audit.timeout == 2.5 && audit.headers.map(\.name) == ["Authorization"] && audit.forwardHeaders == ["user-agent"])
        #expect(audit.retry == RetryPolicy(maxAttempts: 3, minDelay: 0.5, maxDelay: 30, maxAge: 600, retryAfterCap: 60))
        #expect(audit.circuit == CircuitBreakerPolicy(failureThreshold: 2, cooldown: 10))
        #expect(audit.signingSecret == secret && audit.concurrency == 2)
        #expect(config.sources[0].destinations == ["crm", "audit"] && config.sources[0].queuedDestinations == ["crm", "audit"])
    }

    @Test func destinationProblemsHaveTheirPaths() {
        guard case .failure(let error) = decode([
            "destinations": .list([
                .map(["name": .string("a"), "url": .string("ftp://x/"), "timeout": .int(0), "signing": .map(["secret": .string("plain")]),
                      "retry": .map(["minDelay": .int(10), "maxDelay": .int(5), "maxTries": .int(3)])]),
                .map(["name": .string("a"), "url": .string("http://x/")]),
            ]),
            "sources": .list([source(["destinations": .list([.string("a"), .string("b")]), "respond": .map([:])])]),
        ]) else { Issue.record("decoded a bad configuration"); return }
        let paths = error.problems.map(\.path)
        for expected in ["destinations[0].url", "destinations[0].timeout", "destinations[0].signing.secret",
                         "destinations[0].retry.maxDelay", "destinations[0].retry.maxTries", "destinations[1].name",
                         "sources[0].destinations[1]", "sources[0].respond"] {
            #expect(paths.contains(expected), "no problem reported at \(expected): \(paths)")
        }
    }

    @Test func fulfillmentSourcesAnswerDuplicatesWith409AndCallTheirUpstreamSynchronously() throws {
        let config = try decode([
            "destinations": .list([.map(["name": .string("bot"), "url": .string("http://127.0.0.1:1/")]),
                                   .map(["name": .string("sync"), "url": .string("http://127.0.0.1:2/")])]),
            "sources": .list([source([
                "mode": .string("fulfillment"), "destinations": .list([.string("bot"), .string("sync")]),
                "respond": .map(["upstream": .string("bot"), "timeout": .double(1.5),
                                 "fallback": .list([.map(["type": .string("text"), "value": .string("Hold on")])])]),
            ])]),
        ]).get()
        let fulfil = config.sources[0]
        #expect(fulfil.mode == .fulfillment && fulfil.onDuplicate == .conflict)
        #expect(fulfil.respond?.timeout == 1.5 && fulfil.respond?.upstream == "bot")
        #expect(fulfil.respond?.fallback == [.object(["type": .string("text"), "value": .string("Hold on")])])
        #expect(fulfil.queuedDestinations == ["sync"], "the upstream is called while the caller waits, not queued")
    }

    @Test func backoffStaysBetweenTheMinimumAndTheGrowingCeiling() {
        let policy = RetryPolicy(maxAttempts: 10, minDelay: 2, maxDelay: 100)
        #expect(policy.backoff(afterAttempt: 1, random: 0.99) == 2)
        #expect(policy.backoff(afterAttempt: 3, random: 0) == 2)
        #expect(policy.backoff(afterAttempt: 3, random: 0.5) == 2 + (8 - 2) * 0.5)
        #expect(policy.backoff(afterAttempt: 30, random: 0.999_999) <= 100)
        #expect(policy.backoff(afterAttempt: 30, random: 0.999_999) > 99)
    }

    @Test func verdictsFollowTheStatus() {
        let policy = RetryPolicy(maxAttempts: 3, minDelay: 1, maxDelay: 10, maxAge: 100, retryAfterCap: 30)
        func verdict(_ result: AttemptResult, attempts: Int = 1, age: Double = 0) -> DeliveryVerdict {
            policy.decide(result, attempts: attempts, age: age, random: 0)
        }
        #expect(verdict(AttemptResult(status: 204)) == .delivered)
        for status in [408, 429, 500, 503, 301] {
            #expect(verdict(AttemptResult(status: status)) == .retry(after: 1, reason: AttemptResult(status: status).summary
                + (status == 301 ? ": redirects are not followed" : "")))
        }
        #expect(verdict(AttemptResult(failure: .timeout)) == .retry(after: 1, reason: "timed out"))
        #expect(verdict(AttemptResult(status: 410, bodyExcerpt: "gone")) == .dead(reason: "HTTP 410: gone"))
        #expect(verdict(AttemptResult(status: 422)) == .dead(reason: "HTTP 422"))
        #expect(verdict(AttemptResult(status: 429, retryAfter: 30)) == .retry(after: 30, reason: "HTTP 429"))
        if case .dead = verdict(AttemptResult(status: 429, retryAfter: 31)) {} else { Issue.record("past the cap must dead-letter") }
        if case .dead = verdict(AttemptResult(status: 500), attempts: 3) {} else { Issue.record("maxAttempts") }
        if case .dead = verdict(AttemptResult(status: 500), age: 99.5) {} else { Issue.record("maxAge") }
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == 30)
        #expect(RetryAfter.seconds("Sunday, 06-Nov-94 08:50:37 GMT", now: now) == 60)
        #expect(RetryAfter.seconds("Sun Nov  6 08:49:47 1994", now: now) == 10)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
    }

    @Test func theCircuitPausesForRetryAfterAndProbesOnceWhenOpen() {
        let start = Date(timeIntervalSince1970: 0)
        var breaker = CircuitBreaker(policy: CircuitBreakerPolicy(failureThreshold: 2, cooldown: 10))
        breaker.record(AttemptResult(status: 429, retryAfter: 5), now: start)
        #expect(breaker.admit(now: start.addingTimeInterval(4.9)) == 0 && breaker.state == .closed)
        #expect(breaker.admit(now: start.addingTimeInterval(5)) == .max)
        breaker.record(AttemptResult(failure: .timeout), now: start)
        breaker.record(AttemptResult(status: 502), now: start)
        #expect(breaker.state == .open && breaker.admit(now: start.addingTimeInterval(9)) == 0)
        #expect(breaker.admit(now: start.addingTimeInterval(10)) == 1 && breaker.state == .halfOpen)
        #expect(breaker.admit(now: start.addingTimeInterval(10)) == 0, "one probe at a time")
        breaker.record(AttemptResult(status: 400), now: start.addingTimeInterval(11))
        #expect(breaker.state == .closed, "any answer but a 5xx shows the backend is up")
    }
}
