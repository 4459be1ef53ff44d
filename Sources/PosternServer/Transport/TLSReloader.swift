import Logging
import ServiceLifecycle

/// Keeps TLS listeners' certificates and client CAs current: reloads when their files change (polled), on SIGHUP
/// (`HangupService`), and on `POST /admin/reload`. A failed reload keeps the last good set, is logged with the file and the reason,
/// and shows in `/metrics` and `/readyz`.
public struct TLSReloader: Service {
    public let stores: [String: TLSContextStore]
    let metrics: Metrics
    let logger: Logger
    let pollInterval: Duration

    public init(stores: [String: TLSContextStore], metrics: Metrics, logger: Logger, pollInterval: Duration = .seconds(2)) {
        self.stores = stores
        self.metrics = metrics
        self.logger = logger
        self.pollInterval = pollInterval
    }

    /// The reason of every listener whose last reload failed, by listener address.
    public var failures: [String: String] {
        stores.compactMapValues { $0.lastFailure?.description }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: pollInterval)) != nil { reload(force: false, cause: "files changed") }
        }
    }

    /// Reloads every listener (only those whose files changed, unless `force`); returns the failures.
    @discardableResult
    public func reload(force: Bool, cause: String) -> [String: String] {
        var failed: [String: String] = [:]
        for (listener, store) in stores.sorted(by: { $0.key < $1.key }) {
            switch store.reload(force: force) {
            case .success?:
                metrics.tlsReloads(listener: listener, result: "ok").increment()
                logger.info("TLS files reloaded", metadata: ["listener": "\(listener)", "cause": "\(cause)"])
            case .failure(let failure)?:
                failed[listener] = failure.description
                metrics.tlsReloads(listener: listener, result: "failed").increment()
                logger.error("TLS reload failed; keeping the last good certificates",
                             metadata: ["listener": "\(listener)", "file": "\(failure.file)", "reason": "\(failure.reason)"])
            case nil:
                break
            }
        }
        return failed
    }
}
