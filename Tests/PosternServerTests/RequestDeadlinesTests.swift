@testable import PosternServer
import Testing

/// The request deadlines as a value with a manual clock: every transition, and the one lazy timer.
struct RequestDeadlinesTests {
    let second: UInt64 = 1_000_000_000

    func deadlines() -> RequestDeadlines { RequestDeadlines(headerTimeout: .seconds(10), bodyTimeout: .seconds(30)) }

    @Test func theHeadIsDueFromTheStartAndTheBodyFromTheHead() {
        var machine = deadlines()
        #expect(machine.connectionStarted(now: 0) == .schedule(at: 10 * second))
        #expect(machine.phase == .readingHead)
        #expect(machine.headReceived(now: 2 * second) == .none, "the timer fires first, then waits for the body's deadline")
        #expect(machine.deadline == 32 * second)
        #expect(machine.timerFired(now: 10 * second) == .schedule(at: 32 * second))
        #expect(machine.timerFired(now: 32 * second) == .close, "the body did not end in time")
    }

    @Test func nothingIsDueWhileHandlingOrIdle() {
        var machine = deadlines()
        _ = machine.connectionStarted(now: 0)
        _ = machine.headReceived(now: 1 * second)
        #expect(machine.requestEnded(now: 2 * second) == .none)
        #expect(machine.phase == .handling && machine.deadline == nil)
        #expect(machine.timerFired(now: 10 * second) == .none)
        #expect(machine.bytesArrived(now: 11 * second) == .none, "bytes while handling start no new request")
        #expect(machine.responseEnded(now: 12 * second) == .none)
        #expect(machine.phase == .betweenRequests)
        #expect(machine.bytesArrived(now: 50 * second) == .schedule(at: 60 * second), "the next head is due from its first byte")
    }

    @Test func anIdleTimeoutRunsFromTheLastAnswerToTheNextRequest() {
        var machine = RequestDeadlines(headerTimeout: .seconds(10), bodyTimeout: .seconds(30), idleTimeout: .seconds(60))
        _ = machine.connectionStarted(now: 0)
        _ = machine.headReceived(now: 1 * second)
        _ = machine.requestEnded(now: 2 * second)
        #expect(machine.timerFired(now: 10 * second) == .none, "nothing is due while the request is handled")
        #expect(machine.responseEnded(now: 100 * second) == .schedule(at: 160 * second))
        #expect(machine.timerFired(now: 160 * second) == .close, "idle for the whole timeout")
        _ = machine.bytesArrived(now: 200 * second)
        #expect(machine.phase == .readingHead && machine.deadline == 210 * second)
    }

    @Test func anEarlyAnswerClosesTheCycleAtTheRequestsEnd() {
        var machine = deadlines()
        _ = machine.connectionStarted(now: 0)
        _ = machine.headReceived(now: 0)
        _ = machine.responseEnded(now: 0)
        #expect(machine.phase == .readingBody, "the body is still due after a refusal is sent")
        _ = machine.requestEnded(now: 0)
        #expect(machine.phase == .betweenRequests && machine.deadline == nil)
    }

    @Test func aCloserDeadlineReplacesTheTimer() {
        var machine = RequestDeadlines(headerTimeout: .seconds(10), bodyTimeout: .seconds(2))
        #expect(machine.connectionStarted(now: 0) == .schedule(at: 10 * second))
        #expect(machine.headReceived(now: 1 * second) == .schedule(at: 3 * second))
        #expect(machine.timerFired(now: 3 * second) == .close)
    }

    @Test func stoppedMeansNothingIsDue() {
        var machine = deadlines()
        _ = machine.connectionStarted(now: 0)
        machine.stopped()
        #expect(machine.timerFired(now: 100 * second) == .none)
    }
}
