import Foundation
import PosternCore
import PosternDelivery
import Testing

/// The circuit breaker as a value: every transition, with time passed in.
struct CircuitBreakerTests {
    let start = Date(timeIntervalSince1970: 0)

    func opened() -> CircuitBreaker {
        var breaker = CircuitBreaker(policy: CircuitBreakerPolicy(failureThreshold: 3, cooldown: .seconds(10)))
        for _ in 0..<3 { breaker.record(AttemptResult(status: 503), now: start) }
        return breaker
    }

    @Test func opensOnlyAfterTheThresholdInARow() {
        var breaker = CircuitBreaker(policy: CircuitBreakerPolicy(failureThreshold: 3, cooldown: .seconds(10)))
        breaker.record(AttemptResult(status: 503), now: start)
        breaker.record(AttemptResult(failure: .connection("refused")), now: start)
        breaker.record(AttemptResult(status: 200), now: start)
        breaker.record(AttemptResult(status: 503), now: start)
        breaker.record(AttemptResult(status: 503), now: start)
        #expect(breaker.state == .closed, "a success in between starts the count again")
        breaker.record(AttemptResult(status: 503), now: start)
        #expect(breaker.state == .open && breaker.admit(now: start) == 0)
    }

    @Test func aFailedProbeOpensAgainForAWholeCooldown() {
        var breaker = opened()
        #expect(breaker.admit(now: start.addingTimeInterval(10)) == 1)
        breaker.record(AttemptResult(failure: .timeout), now: start.addingTimeInterval(11))
        #expect(breaker.state == .open)
        #expect(breaker.admit(now: start.addingTimeInterval(20)) == 0)
        #expect(breaker.admit(now: start.addingTimeInterval(21)) == 1)
    }

    @Test func aCancelledProbeLetsTheNextOneGo() {
        var breaker = opened()
        #expect(breaker.admit(now: start.addingTimeInterval(10)) == 1)
        breaker.cancelProbe()
        #expect(breaker.state == .halfOpen && breaker.admit(now: start.addingTimeInterval(10)) == 1)
        #expect(breaker.admit(now: start.addingTimeInterval(10)) == 0)
    }

    @Test func aLateFailureWhileOpenExtendsTheCooldown() {
        var breaker = opened()
        breaker.record(AttemptResult(status: 500), now: start.addingTimeInterval(5))
        #expect(breaker.admit(now: start.addingTimeInterval(10)) == 0)
        #expect(breaker.admit(now: start.addingTimeInterval(15)) == 1)
    }
}
