import Foundation

extension Date {
    /// The time as whole milliseconds since 1970, as the stores keep it; held to Int's range, since a time can come
    /// from a request (a replay's `since`) or a backend (a `Retry-After` far in the future).
    public var millisecondsSince1970: Int {
        Int(saturating: (timeIntervalSince1970 * 1000).rounded())
    }

    public init(millisecondsSince1970 millis: Int) {
        self.init(timeIntervalSince1970: TimeInterval(millis) / 1000)
    }
}
