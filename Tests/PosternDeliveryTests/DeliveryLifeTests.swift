import Foundation
import PosternCore
@testable import PosternDelivery
import Testing

/// A delivery's life in the dispatcher: each step only from the one before it, and over once recorded or released.
struct DeliveryLifeTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func anAttemptIsStartedDecidedAndRecordedOnce() {
        var life = DeliveryLife(id: 7, destination: "crm")
        let early = [life.decide(.delivered), life.recorded(), life.release()]
        #expect(early == [false, false, false] && life.step == .claimed, "nothing follows a claim but a start")
        let started = life.start(at: start), startedAgain = life.start(at: start)
        #expect(started && !startedAgain && life.step == .attempting(since: start) && !life.isOver)
        let decided = life.decide(.retry(after: .seconds(2), reason: "HTTP 503")), decidedAgain = life.decide(.delivered)
        #expect(decided && !decidedAgain && life.step == .recording(.retry(after: .seconds(2), reason: "HTTP 503")))
        let recorded = life.recorded()
        #expect(recorded && life.step == .finished(.retry(after: .seconds(2), reason: "HTTP 503")) && life.isOver)
        let late = [life.recorded(), life.release(), life.start(at: start)]
        #expect(late == [false, false, false], "nothing follows a recorded verdict")
    }

    @Test func aVerdictThatCannotBeRecordedGivesTheClaimBack() {
        var life = DeliveryLife(id: 8, destination: "crm")
        let started = life.start(at: start), releasedWhileRunning = life.release()
        #expect(started && !releasedWhileRunning, "a running attempt is not given back")
        let decided = life.decide(.dead(reason: "HTTP 410")), released = life.release(), recorded = life.recorded()
        #expect(decided && released && !recorded && life.step == .released && life.isOver)
    }
}
