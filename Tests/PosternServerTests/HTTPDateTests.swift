@testable import PosternServer
import Testing

/// The listener's `Date` header in IMF-fixdate form (RFC 9110 §5.6.7).
struct HTTPDateTests {
    @Test func imfFixdate() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT", "RFC 9110's own example")
        #expect(HTTPDate.format(1_796_083_205) == "Tue, 01 Dec 2026 00:00:05 GMT")
        #expect(!HTTPDate.shared.now.isEmpty)
    }
}
