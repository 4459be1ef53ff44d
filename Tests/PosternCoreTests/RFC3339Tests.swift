import Foundation
@testable import PosternCore
import Testing

/// The hand-written RFC 3339 reader agrees with Foundation's ISO 8601 parser and refuses what is not RFC 3339.
struct RFC3339Tests {
    @Test func agreesWithFoundationOnAnyInstant() throws {
        var generator = SystemRandomNumberGenerator()
        let whole = Date.ISO8601FormatStyle()
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: Double(Int.random(in: -2_000_000_000...4_000_000_000, using: &generator)))
            let text = whole.format(date)
            #expect(RFC3339.parse(text) == (try whole.parse(text)), "\(text)")
            let millis = date.addingTimeInterval(Double(Int.random(in: 0..<1000, using: &generator)) / 1000)
            let withFraction = fractional.format(millis)
            let parsed = try #require(RFC3339.parse(withFraction), "\(withFraction)")
            #expect(abs(parsed.timeIntervalSince(try fractional.parse(withFraction))) < 1e-6, "\(withFraction)")
        }
    }

    @Test func formatsTheProlepticGregorianDaysItParses() {
        for text in ["0026-11-25T10:00:00Z", "0000-01-01T00:00:00Z", "1582-10-04T23:59:59Z", "1969-12-31T23:59:59Z",
                     "2024-02-29T12:00:00Z", "9999-12-31T23:59:59Z"] {
            #expect(RFC3339.format(RFC3339.parse(text)!) == text)
        }
        let now = Date(timeIntervalSince1970: 1_764_064_800.75)
        #expect(RFC3339.format(now) == Date.ISO8601FormatStyle().format(now), "Foundation agrees after 1582")
    }

    @Test func readsOffsetsFractionsAndEitherCase() {
        let base = Date(timeIntervalSince1970: 1_764_064_800)  // 2025-11-25T10:00:00Z
        #expect(RFC3339.parse("2025-11-25T10:00:00Z") == base)
        #expect(RFC3339.parse("2025-11-25t10:00:00z") == base)
        #expect(RFC3339.parse("2025-11-25T11:30:00+01:30") == base)
        #expect(RFC3339.parse("2025-11-25T05:00:00-05:00") == base)
        #expect(RFC3339.parse("2025-11-25T10:00:00.250Z") == base.addingTimeInterval(0.25))
        #expect(RFC3339.parse("2024-02-29T00:00:00Z") == Date(timeIntervalSince1970: 1_709_164_800))
    }

    @Test func refusesWhatIsNotRFC3339() {
        for text in ["", "2025-11-25", "2025-11-25 10:00:00Z", "2025-11-25T10:00:00", "2025-11-25T10:00Z",
                     "2025-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2025-11-31T00:00:00Z", "2025-11-25T24:00:00Z",
                     "2025-11-25T10:00:00.Z", "2025-11-25T10:00:00+0100", "2025-11-25T10:00:00Z ", "１２３４-11-25T10:00:00Z",
                     "1764064800"] {
            #expect(RFC3339.parse(text) == nil, "\(text)")
        }
    }
}
