import Foundation
@testable import PosternStore
import Testing

/// Event ids: UUIDv7 in hex, so they sort by arrival time and are unique within one millisecond.
struct EventIDTests {
    @Test func idsCarryTheTimeAndSortByIt() throws {
        let earlier = Date(timeIntervalSince1970: 1_764_000_000.123)
        let id = EventID.make(now: earlier)
        #expect(id.hasPrefix("evt_") && id.count == 36)
        #expect(id.dropFirst(4).allSatisfy { "0123456789abcdef".contains($0) })
        let hex = Array(id.dropFirst(4))
        #expect(UInt64(String(hex[0..<12]), radix: 16) == 1_764_000_000_123)
        #expect(hex[12] == "7")
        #expect("89ab".contains(hex[16]))
        let later = EventID.make(now: earlier.addingTimeInterval(0.001))
        #expect(id < later)
    }

    @Test func idsWithinOneMillisecondDiffer() {
        let now = Date()
        let ids = Set((0..<10_000).map { _ in EventID.make(now: now) })
        #expect(ids.count == 10_000)
    }
}
