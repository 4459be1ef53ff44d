import Foundation
import PosternCore
import Testing

/// The hand-written lower-case UUID text is Foundation's, lower-cased.
struct UUIDTextTests {
    @Test func matchesFoundationLowerCased() {
        for _ in 0..<1_000 {
            let uuid = UUID()
            #expect(uuid.lowercasedString == uuid.uuidString.lowercased())
        }
    }
}
