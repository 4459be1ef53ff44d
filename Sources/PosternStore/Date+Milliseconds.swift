import Foundation

extension Date {
    /// The time as whole milliseconds since 1970, as the stores keep it.
    var millisecondsSince1970: Int {
        Int((timeIntervalSince1970 * 1000).rounded())
    }

    init(millisecondsSince1970 millis: Int) {
        self.init(timeIntervalSince1970: TimeInterval(millis) / 1000)
    }
}
