import ArgumentParser
import Foundation
import PosternServer

/// A time on the command line: a duration ago (`10m`, `2h`, `3d`, `90s`), an RFC 3339 time, or Unix seconds.
struct TimeArgument: ExpressibleByArgument {
    let date: Date

    init?(argument: String) {
        self.init(argument, now: Date())
    }

    init?(_ text: String, now: Date) {
        if let unit = text.last, let seconds = ["s": 1.0, "m": 60, "h": 3600, "d": 86_400][unit],
           let count = Double(text.dropLast()), count.isFinite, count >= 0 {
            date = now.addingTimeInterval(-count * seconds)
        } else if let absolute = try? Replayer.time(text, "time") {
            date = absolute
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
