import Foundation
import Logging
import PosternCore
import PosternStore
import ServiceLifecycle

/// Delivers the outbox: claims due deliveries destination by destination (within each one's concurrency and
/// circuit breaker), attempts them, and records each attempt with what follows it — delivered, retried later by
/// the destination's retry policy, or dead-lettered. Time and randomness are inputs, so tests never wait.
public actor Dispatcher: Service {
    private let queue: any DeliveryQueue
    private let destinations: [DestinationConfig]
    private let client: DeliveryClient
    private let observer: any DeliveryObserver
    private let doorbell: Doorbell
    private let now: @Sendable () -> Date
    private let random: @Sendable () -> Double
    private let pollInterval: Duration
    private let logger: Logger

    private var breakers: [String: CircuitBreaker]
    private var inFlight: [String: Int] = [:]
    private var attempts: [Int64: Task<Void, Never>] = [:]
    private var stopping = false

    public init(queue: any DeliveryQueue, destinations: [DestinationConfig], client: DeliveryClient,
                observer: any DeliveryObserver, doorbell: Doorbell = Doorbell(), pollInterval: Duration = .milliseconds(500),
                logger: Logger, now: @escaping @Sendable () -> Date = Date.init,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.queue = queue
        self.destinations = destinations
        self.client = client
        self.observer = observer
        self.doorbell = doorbell
        self.pollInterval = pollInterval
        self.logger = logger
        self.now = now
        self.random = random
        self.breakers = Dictionary(uniqueKeysWithValues: destinations.map { ($0.name, CircuitBreaker(policy: $0.circuit)) })
    }

    /// Delivers until graceful shutdown, then lets the attempts in flight finish.
    public func run() async throws {
        await withGracefulShutdownHandler {
            while await !self.isStopping {
                await self.startDue()
                await self.doorbell.wait(upTo: self.pollInterval)
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

    /// The circuit state of a destination.
    public func circuitState(_ destination: String) -> CircuitBreaker.State? {
        breakers[destination]?.state
    }

    /// Claims what each destination may take now and starts the attempts; returns how many started.
    @discardableResult
    private func startDue() async -> Int {
        var started = 0
        for destination in destinations {
            let free = destination.concurrency - inFlight[destination.name, default: 0]
            guard free > 0, let admitted = admit(destination.name), admitted > 0 else { continue }
            let claimed: [DueDelivery]
            do {
                claimed = try await queue.claimDue(destination: destination.name, now: now(), limit: min(free, admitted))
            } catch {
                logger.error("claiming deliveries failed", metadata: ["destination": "\(destination.name)", "error": "\(error)"])
                claimed = []
            }
            if claimed.isEmpty, admitted == 1 { breakers[destination.name]?.cancelProbe() }
            for delivery in claimed {
                inFlight[destination.name, default: 0] += 1
                attempts[delivery.id] = Task { await self.attempt(delivery, to: destination) }
            }
            started += claimed.count
        }
        return started
    }

    /// Asks the destination's circuit breaker how many deliveries may start, reporting a change of state.
    private func admit(_ destination: String) -> Int? {
        guard var breaker = breakers[destination] else { return nil }
        let before = breaker.state
        let admitted = breaker.admit(now: now())
        breakers[destination] = breaker
        if breaker.state != before { observer.circuitChanged(destination: destination, to: breaker.state) }
        return admitted
    }

    private func attempt(_ delivery: DueDelivery, to destination: DestinationConfig) async {
        let startedAt = now()
        let request = OutgoingRequest(delivery, to: destination, now: startedAt)
        let result = await client.attempt(request, timeout: destination.timeout, now: startedAt)
        let finishedAt = now()
        let verdict = destination.retry.decide(result, attempts: delivery.attempts + 1,
                                               age: finishedAt.timeIntervalSince(delivery.enqueuedAt), random: random())
        if var breaker = breakers[destination.name] {
            let before = breaker.state
            breaker.record(result, now: finishedAt)
            breakers[destination.name] = breaker
            if breaker.state != before { observer.circuitChanged(destination: destination.name, to: breaker.state) }
        }
        let record = DeliveryAttempt(destination: destination.name, time: startedAt, status: result.status,
                                     latencyMs: (result.latency * 1_000_000).rounded() / 1000,
                                     error: result.classification == .delivered ? nil : result.summary)
        do {
            try await queue.finish(delivery, attempt: record, verdict: verdict, now: finishedAt)
            observer.attempted(delivery, result: result, verdict: verdict)
        } catch {
            // Not recorded: the delivery stays pending and is attempted again (same Idempotency-Key).
            logger.error("recording a delivery attempt failed", metadata: ["event": "\(delivery.eventID)", "error": "\(error)"])
            await queue.release(delivery)
        }
        inFlight[destination.name, default: 1] -= 1
        attempts[delivery.id] = nil
        doorbell.ring()
    }

    private func finishInFlight() async {
        while let (_, task) = attempts.first {
            await task.value
        }
    }
}
