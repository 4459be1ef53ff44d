/// The request deadlines of one connection as a value, with no NIO in it: events in, what to do out. The head must
/// arrive within the header timeout (from the connection's start, or the first byte of the next request), the body
/// within the body timeout of its head; with an idle timeout, the next request must begin within it of the last
/// answer. A deadline holds while reading and idling only, never while a request is handled. One timer follows the
/// deadline lazily:
/// when the deadline moves later, the timer is left to fire and is then set again for the moved deadline, so a
/// keep-alive connection does not schedule and cancel a timer for every request. Times are nanoseconds on a
/// monotonic clock, passed in.
struct RequestDeadlines: Sendable {
    /// Where the connection is in its request cycle.
    enum Phase: Sendable, Equatable {
        case readingHead
        case readingBody
        case handling
        case betweenRequests
    }

    /// What the handler does next.
    enum Action: Sendable, Equatable {
        case none
        /// Set the one timer for this time, replacing the one set before.
        case schedule(at: UInt64)
        case close
    }

    let headerTimeout: UInt64
    let bodyTimeout: UInt64
    /// Nil where something else closes idle connections (Hummingbird, on the admin listener).
    let idleTimeout: UInt64?
    private(set) var phase = Phase.betweenRequests
    /// When the current head or body must have arrived; nil while handling or between requests.
    private(set) var deadline: UInt64?
    /// When the timer is set to fire, if it is.
    private var timerAt: UInt64?
    /// The response ended before the request did (an early refusal); the request's end then closes the cycle.
    private var answeredEarly = false

    init(headerTimeout: Duration, bodyTimeout: Duration, idleTimeout: Duration? = nil) {
        self.headerTimeout = headerTimeout.nanoseconds
        self.bodyTimeout = bodyTimeout.nanoseconds
        self.idleTimeout = idleTimeout?.nanoseconds
    }

    mutating func connectionStarted(now: UInt64) -> Action {
        enter(.readingHead, due: now + headerTimeout)
    }

    /// Bytes arrived: on an idle keep-alive connection, the next request's head is due.
    mutating func bytesArrived(now: UInt64) -> Action {
        guard phase == .betweenRequests else { return .none }
        return enter(.readingHead, due: now + headerTimeout)
    }

    mutating func headReceived(now: UInt64) -> Action {
        enter(.readingBody, due: now + bodyTimeout)
    }

    mutating func requestEnded(now: UInt64) -> Action {
        deadline = nil
        defer { answeredEarly = false }
        guard answeredEarly else {
            phase = .handling
            return .none
        }
        return idle(now: now)
    }

    mutating func responseEnded(now: UInt64) -> Action {
        switch phase {
        case .handling: return idle(now: now)
        case .readingBody: answeredEarly = true
        case .readingHead, .betweenRequests: break
        }
        return .none
    }

    mutating func timerFired(now: UInt64) -> Action {
        timerAt = nil
        guard let deadline else { return .none }
        guard deadline > now else { return .close }
        timerAt = deadline
        return .schedule(at: deadline)
    }

    /// The handler left the pipeline: nothing is due any more.
    mutating func stopped() {
        phase = .handling
        deadline = nil
        timerAt = nil
    }

    /// Between requests: the idle deadline, if there is one.
    private mutating func idle(now: UInt64) -> Action {
        guard let idleTimeout else {
            phase = .betweenRequests
            return .none
        }
        return enter(.betweenRequests, due: now + idleTimeout)
    }

    private mutating func enter(_ reading: Phase, due: UInt64) -> Action {
        phase = reading
        deadline = due
        if let timerAt, timerAt <= due { return .none }  // it fires first and then waits for `due`
        timerAt = due
        return .schedule(at: due)
    }
}
