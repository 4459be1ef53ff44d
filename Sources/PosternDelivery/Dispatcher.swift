import Foundation
import Logging
import PosternCore
import PosternStore
import ServiceLifecycle
import Tracing

/// Delivers the outbox: claims due deliveries destination by destination (within each one's concurrency and
/// circuit breaker), attempts them, and records each attempt with what follows it — delivered, retried later by
/// the destination's retry policy, or dead-lettered. Time and randomness are inputs, so tests never wait.
public actor Dispatcher: Service {
    private let queue: any DeliveryQueue
    private var destinations: [any Destination]
    private let client: DeliveryClient
    private let observer: any DeliveryObserver
    private let doorbell: Doorbell
    private let clock: WallClock
    private let random: @Sendable () -> Double
    private let pollInterval: Duration
    private let logger: Logger

    private var breakers: [String: CircuitBreaker]
    /// Destinations that keep a pace (`rateLimit`, Genesys' requests per minute).
    private var paces: [String: TokenBucket]
    /// Every claimed delivery not yet over, by id: its life, and the task attempting it.
    private var lives: [Int64: DeliveryLife] = [:]
    private var attempts: [Int64: Task<Void, Never>] = [:]
    private var stopping = false
    /// Set by a round that a pace held back: how long until that destination's next token, so its deliveries start
    /// at its rate rather than at each poll.
    private var paceWait: Duration?

    public init(queue: any DeliveryQueue, destinations: [DestinationConfig], client: DeliveryClient,
                observer: any DeliveryObserver, doorbell: Doorbell = Doorbell(), pollInterval: Duration = .milliseconds(500),
                logger: Logger, clock: WallClock = .system,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.queue = queue
        self.destinations = destinations.map { Destinations.make($0, client: client, clock: clock) }
        self.client = client
        self.observer = observer
        self.doorbell = doorbell
        self.pollInterval = pollInterval
        self.logger = logger
        self.clock = clock
        self.random = random
        self.breakers = Dictionary(uniqueKeysWithValues: destinations.map { ($0.name, CircuitBreaker(policy: $0.circuit)) })
        self.paces = Dictionary(uniqueKeysWithValues: destinations.compactMap { config in config.pace.map { (config.name, TokenBucket($0)) } })
    }

    /// Delivers until graceful shutdown, then lets the attempts in flight finish.
    public func run() async throws {
        await withGracefulShutdownHandler {
            while await !self.isStopping {
                await self.startDue()
                await self.doorbell.wait(upTo: min(self.pollInterval, await self.paceWait ?? self.pollInterval))
            }
        } onGracefulShutdown: {
            Task { await self.stop() }
        }
        await finishInFlight()
    }

    private var isStopping: Bool { stopping || Task.isCancelled }

    private func stop() {
        stopping = true
        doorbell.ring()
    }

    /// Starts every attempt that is due now and waits for them all: one round, for tests with an injected clock.
    /// Returns how many attempts were made.
    @discardableResult
    public func deliverDue() async -> Int {
        let started = await startDue()
        await finishInFlight()
        return started
    }

    /// Delivers to a reloaded configuration's destinations from the next round on. Attempts in flight finish with the
    /// destination they started with. A destination whose circuit policy (or pace) did not change keeps its circuit
    /// breaker (or pace); a removed destination's pending deliveries stay queued, untouched, until it is configured again.
    public func reconfigure(destinations configs: [DestinationConfig]) {
        let previous = Dictionary(destinations.map { ($0.config.name, $0.config) }, uniquingKeysWith: { first, _ in first })
        destinations = configs.map { Destinations.make($0, client: client, clock: clock) }
        breakers = Dictionary(uniqueKeysWithValues: configs.map { config in
            let kept = previous[config.name]?.circuit == config.circuit ? breakers[config.name] : nil
            return (config.name, kept ?? CircuitBreaker(policy: config.circuit))
        })
        paces = Dictionary(uniqueKeysWithValues: configs.compactMap { config in
            config.pace.map { pace in (config.name, previous[config.name]?.pace == pace ? paces[config.name] ?? TokenBucket(pace) : TokenBucket(pace)) }
        })
        doorbell.ring()
    }

    /// The circuit state of a destination.
    public func circuitState(_ destination: String) -> CircuitBreaker.State? {
        breakers[destination]?.state
    }

    /// Claims what each destination may take now and starts the attempts; returns how many started.
    @discardableResult
    private func startDue() async -> Int {
        var started = 0
        paceWait = nil
        for destination in destinations {
            let name = destination.config.name
            let free = destination.config.concurrency - lives.values.count { $0.destination == name }
            guard free > 0, let admitted = admit(name), admitted > 0 else { continue }
            let paced = paces[name].map { $0.available(at: clock.now.sinceEpoch) } ?? .max
            let limit = min(free, admitted, paced)
            let claimed: [DueDelivery]
            do {
                claimed = limit > 0 ? try await queue.claimDue(destination: name, now: clock.now, limit: limit) : []
            } catch {
                logger.error("claiming deliveries failed", metadata: ["destination": "\(name)", "error": "\(error)"])
                claimed = []
            }
            if claimed.isEmpty, admitted == 1 { breakers[name]?.cancelProbe() }
            for delivery in claimed {
                _ = paces[name]?.take(at: clock.now.sinceEpoch)
                lives[delivery.id] = DeliveryLife(id: delivery.id, destination: name)
                attempts[delivery.id] = Task { await self.attempt(delivery, to: destination) }
            }
            started += claimed.count
            // Held back by the pace alone: more may be due, so look again when the next token is in.
            if paced < min(free, admitted), claimed.count == paced, let pace = paces[name] {
                let wait = pace.untilNextToken(at: clock.now.sinceEpoch)
                paceWait = min(paceWait ?? wait, wait)
            }
        }
        return started
    }

    /// Asks the destination's circuit breaker how many deliveries may start, reporting a change of state.
    private func admit(_ destination: String) -> Int? {
        guard var breaker = breakers[destination] else { return nil }
        let before = breaker.state
        let admitted = breaker.admit(now: clock.now)
        breakers[destination] = breaker
        if breaker.state != before { observer.circuitChanged(destination: destination, to: breaker.state) }
        return admitted
    }

    private func attempt(_ delivery: DueDelivery, to destination: any Destination) async {
        let config = destination.config
        let startedAt = clock.now
        guard advance(delivery, { $0.start(at: startedAt) }) else {
            lives[delivery.id] = nil
            attempts[delivery.id] = nil
            return
        }
        let renewal = renewingLease(of: delivery)
        // One span per attempt, in the trace the event was stored under; the request carries the span's context.
        let result = await withSpan("deliver \(config.name)", context: TraceHeaders.context(from: delivery.headers),
                                    ofKind: .client) { span in
            let result = await destination.attempt(delivery, now: startedAt)
            span.attributes["postern.event_id"] = delivery.eventID
            span.attributes["postern.delivery_id"] = Int(delivery.id)
            span.attributes["postern.destination"] = config.name
            span.attributes["postern.attempt"] = delivery.attempts + 1
            span.attributes["postern.outcome"] = "\(result.classification)"
            if let status = result.status { span.attributes["http.response.status_code"] = status }
            if result.classification != .delivered { span.setStatus(SpanStatus(code: .error)) }
            return result
        }
        renewal?.cancel()
        let finishedAt = clock.now
        let verdict = config.retry.decide(result, attempts: delivery.attempts + 1,
                                          age: finishedAt.since(delivery.enqueuedAt), random: random())
        if var breaker = breakers[config.name] {
            let before = breaker.state
            breaker.record(result, now: finishedAt)
            breakers[config.name] = breaker
            if breaker.state != before { observer.circuitChanged(destination: config.name, to: breaker.state) }
        }
        advance(delivery) { $0.decide(verdict) }
        let record = DeliveryAttempt(destination: config.name, time: startedAt, status: result.status,
                                     latencyMs: (result.latency.seconds * 1_000_000).rounded() / 1000,
                                     error: result.classification == .delivered ? nil : result.summaryWithRetryAfter)
        do {
            try await queue.finish(delivery, attempt: record, verdict: verdict,
                                   holdsKey: config.ordering?.onFailure == .block, now: finishedAt)
            advance(delivery) { $0.recorded() }
            observer.attempted(delivery, result: result, verdict: verdict)
        } catch {
            // Not recorded: the delivery stays pending and is attempted again (same Idempotency-Key).
            logger.error("recording a delivery attempt failed", metadata: ["event": "\(delivery.eventID)", "error": "\(error)"])
            await queue.release(delivery)
            advance(delivery) { $0.release() }
        }
        attempts[delivery.id] = nil
        doorbell.ring()
    }

    /// Moves a delivery's life one step, and forgets it once it is over. A step out of order is a bug: it is logged
    /// and refused, and the life stays where it was.
    @discardableResult
    private func advance(_ delivery: DueDelivery, _ step: (inout DeliveryLife) -> Bool) -> Bool {
        guard var life = lives[delivery.id], step(&life) else {
            logger.error("a delivery's step is out of order", metadata: [
                "event": "\(delivery.eventID)", "step": "\(lives[delivery.id].map { "\($0.step)" } ?? "none")"])
            return false
        }
        lives[delivery.id] = life.isOver ? nil : life
        return true
    }

    /// Keeps a leased claim (PostgreSQL) alive while its attempt runs, renewing it every third of the lease.
    private func renewingLease(of delivery: DueDelivery) -> Task<Void, Never>? {
        guard let lease = queue.lease else { return nil }
        let queue = queue, clock = clock
        return Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: lease / 3)
                guard !Task.isCancelled else { return }
                await queue.renewLease(delivery, now: clock.now)
            }
        }
    }

    private func finishInFlight() async {
        while let (_, task) = attempts.first {
            await task.value
        }
    }
}
