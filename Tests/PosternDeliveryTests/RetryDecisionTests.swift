import Foundation
import PosternCore
import PosternDelivery
import Testing

/// The retry policy's arithmetic and verdicts, `Retry-After`, and the breaker's pause for it, with time passed in.
struct RetryDecisionTests {
    @Test func backoffStaysBetweenTheMinimumAndTheGrowingCeiling() {
        let policy = RetryPolicy(maxAttempts: 10, minDelay: .seconds(2), maxDelay: .seconds(100))
        #expect(policy.backoff(afterAttempt: 1, random: 0.99) == .seconds(2))
        #expect(policy.backoff(afterAttempt: 3, random: 0) == .seconds(2))
        #expect(policy.backoff(afterAttempt: 3, random: 0.5) == .seconds(2 + (8 - 2) * 0.5))
        #expect(policy.backoff(afterAttempt: 30, random: 0.999_999) <= .seconds(100))
        #expect(policy.backoff(afterAttempt: 30, random: 0.999_999) > .seconds(99))
    }

    @Test func verdictsFollowTheStatus() {
        let policy = RetryPolicy(maxAttempts: 3, minDelay: .seconds(1), maxDelay: .seconds(10), maxAge: .seconds(100), retryAfterCap: .seconds(30))
        func verdict(_ result: AttemptResult, attempts: Int = 1, age: Duration = .zero) -> DeliveryVerdict {
            policy.decide(result, attempts: attempts, age: age, random: 0)
        }
        #expect(verdict(AttemptResult(status: 204)) == .delivered)
        for status in [408, 429, 500, 503, 301] {
            #expect(verdict(AttemptResult(status: status)) == .retry(after: .seconds(1), reason: AttemptResult(status: status).summary
                + (status == 301 ? ": redirects are not followed" : "")))
        }
        #expect(verdict(AttemptResult(failure: .timeout)) == .retry(after: .seconds(1), reason: "timed out"))
        #expect(verdict(AttemptResult(status: 410, bodyExcerpt: "gone")) == .dead(reason: "HTTP 410: gone"))
        #expect(verdict(AttemptResult(status: 422)) == .dead(reason: "HTTP 422"))
        #expect(verdict(AttemptResult(status: 429, retryAfter: .seconds(30))) == .retry(after: .seconds(30), reason: "HTTP 429"))
        if case .dead = verdict(AttemptResult(status: 429, retryAfter: .seconds(31))) {} else { Issue.record("past the cap must dead-letter") }
        if case .dead = verdict(AttemptResult(status: 500), attempts: 3) {} else { Issue.record("maxAttempts") }
        if case .dead = verdict(AttemptResult(status: 500), age: .seconds(99.5)) {} else { Issue.record("maxAge") }
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryAfter.delay("120", now: now) == .seconds(120))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.delay("Sunday, 06-Nov-94 08:50:37 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.delay("Sun Nov  6 08:49:47 1994", now: now) == .seconds(10))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .seconds(0))
        #expect(RetryAfter.delay("soon", now: now) == nil)
        #expect(RetryAfter.delay("1e300", now: now) == Duration(secondsComponent: .max, attosecondsComponent: 0))
    }

    @Test func theCircuitPausesForRetryAfterAndProbesOnceWhenOpen() {
        let start = Date(timeIntervalSince1970: 0)
        var breaker = CircuitBreaker(policy: CircuitBreakerPolicy(failureThreshold: 2, cooldown: .seconds(10)))
        breaker.record(AttemptResult(status: 429, retryAfter: .seconds(5)), now: start)
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

    @Test func aBackendAskingToWaitForeverIsDeadLetteredWithoutATrap() {
        for asked in [1e300, Double.greatestFiniteMagnitude, 9.3e18] {
            let result = AttemptResult(status: 503, retryAfter: Duration(secondsSaturating: asked))
            guard case .dead(let reason) = RetryPolicy().decide(result, attempts: 1, age: .zero, random: 0.5) else {
                Issue.record("a wait past retryAfterCap is a dead letter")
                continue
            }
            #expect(reason.contains("\(Int.max) s"))
        }
    }
}
