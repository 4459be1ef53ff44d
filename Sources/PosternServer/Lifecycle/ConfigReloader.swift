import Crypto
import Foundation
import Logging
import PosternCore
import PosternDelivery

/// Re-reads the configuration file (SIGHUP, `POST /admin/reload`) and swaps in everything that can change while the
/// gateway runs: sources added, removed or changed, secrets and credentials, limits and rate limits, trusted
/// proxies, destinations. A request in flight finishes under the configuration it started with. A file with any
/// problem is refused whole and the running configuration stays; what only a restart can change (the listeners,
/// the admin listener, the store, the audit output, connection limits, retention, tracing) is named instead of
/// being half applied. Each reload is logged, counted in `postern_config_reloads_total` and written to the audit log.
public actor ConfigReloader {
    /// What a reload did.
    public struct Outcome: Sendable, Encodable {
        /// `reloaded` or `refused`. A file with the same bytes is applied again: the credential files it names may
        /// have been rotated.
        public var status: String
        public var configSHA256: String?
        /// The keys that changed but take effect only after a restart.
        public var needsRestart: [String] = []
        public var problems: [Problem] = []

        public struct Problem: Sendable, Encodable, Equatable {
            public var path: String
            public var reason: String
        }
    }

    let path: String
    let live: LiveConfiguration
    let dispatcher: Dispatcher?
    let client: DeliveryClient?
    let metrics: Metrics
    let audit: AuditLog
    let logger: Logger
    /// Told `RELOADING=1` before each reload and `READY=1` after it.
    let notifier: SystemdNotifier
    let environment: @Sendable () -> [String: String]
    /// The configuration the process started with: what `needsRestart` compares against.
    let started: GatewayConfig
    /// The reload running or last run: the next one waits for it, so reloads close together apply in order.
    private var last: Task<Outcome, Never>?

    public init(path: String, live: LiveConfiguration, dispatcher: Dispatcher?, client: DeliveryClient?, metrics: Metrics,
                audit: AuditLog, logger: Logger, notifier: SystemdNotifier = SystemdNotifier(environment: [:]),
                environment: @escaping @Sendable () -> [String: String] = { ProcessInfo.processInfo.environment }) {
        self.path = path
        self.live = live
        self.dispatcher = dispatcher
        self.client = client
        self.metrics = metrics
        self.audit = audit
        self.logger = logger
        self.notifier = notifier
        self.environment = environment
        self.started = live.current.config
    }

    /// The SHA-256 (hex) of a configuration file's bytes, as `/readyz` shows it.
    public nonisolated static func sha256(_ bytes: Data) -> String {
        ByteEncoding.hex.encode(Array(SHA256.hash(data: bytes)))
    }

    @discardableResult
    public func reload(cause: String) async -> Outcome {
        let previous = last
        let next = Task {
            _ = await previous?.value
            self.notifier.reloading()
            let outcome = await self.load()
            await self.record(outcome, cause: cause)
            self.notifier.ready()
            return outcome
        }
        last = next
        return await next.value
    }

    private func load() async -> Outcome {
        let current = live.current
        guard let bytes = FileManager.default.contents(atPath: path) else {
            return Outcome(status: "refused", problems: [.init(path: "", reason: "cannot read \(path)")])
        }
        let sha256 = Self.sha256(bytes)
        guard let text = String(data: bytes, encoding: .utf8) else {
            return Outcome(status: "refused", configSHA256: sha256, problems: [.init(path: "", reason: "\(path) is not UTF-8 text")])
        }
        let plan: GatewayPlan
        do {
            plan = try ConfigFile.load(text: text, baseDirectory: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                       environment: environment())
        } catch {
            return Outcome(status: "refused", configSHA256: sha256,
                           problems: error.problems.map { .init(path: $0.path, reason: $0.reason) })
        }
        let keyProblems = await IssuerKeys.loadAll(plan.issuers, sources: plan.config.sources, previous: current.issuers)
        guard keyProblems.isEmpty else {
            return Outcome(status: "refused", configSHA256: sha256, problems: keyProblems.map { .init(path: $0.path, reason: $0.reason) })
        }
        live.replace(with: ServingConfiguration(plan, sha256: sha256, client: client, previous: current))
        await dispatcher?.reconfigure(destinations: plan.config.destinations)
        return Outcome(status: "reloaded", configSHA256: sha256,
                       needsRestart: Self.restartOnly(running: started, loaded: plan.config))
    }

    /// The keys whose new values the running process cannot take: it keeps serving with the old ones.
    static func restartOnly(running: GatewayConfig, loaded: GatewayConfig) -> [String] {
        var keys: [String] = []
        if running.listeners != loaded.listeners { keys.append("listen") }
        if running.admin.listen != loaded.admin.listen { keys.append("admin.listen") }
        if running.store != loaded.store { keys.append("store") }
        if running.audit != loaded.audit { keys.append("audit") }
        if running.connections != loaded.connections { keys.append("connections") }
        if running.retention != loaded.retention { keys.append("retention") }
        if running.tracing != loaded.tracing { keys.append("tracing") }
        return keys
    }

    private func record(_ outcome: Outcome, cause: String) {
        metrics.configReloads(result: outcome.status).increment()
        audit.write(ConfigReloadRecord(time: Date(), cause: cause, outcome: outcome))
        var metadata: Logger.Metadata = ["cause": "\(cause)", "result": "\(outcome.status)"]
        if let sha256 = outcome.configSHA256 { metadata["sha256"] = "\(sha256)" }
        switch outcome.status {
        case "refused":
            logger.error("configuration reload refused; the running configuration stays", metadata: metadata)
            for problem in outcome.problems {
                logger.error("  \(problem.path.isEmpty ? problem.reason : "\(problem.path): \(problem.reason)")")
            }
        default:
            if !outcome.needsRestart.isEmpty {
                metadata["needsRestart"] = "\(outcome.needsRestart.joined(separator: ", "))"
            }
            logger.info("configuration reloaded", metadata: metadata)
        }
    }
}

/// A configuration reload as the audit log records it.
struct ConfigReloadRecord: Encodable {
    var time: Date
    var decision = "config_reload"
    var cause: String
    var result: String
    var configSHA256: String?
    var needsRestart: [String]?
    var problems: [ConfigReloader.Outcome.Problem]?

    init(time: Date, cause: String, outcome: ConfigReloader.Outcome) {
        self.time = time
        self.cause = cause
        self.result = outcome.status
        self.configSHA256 = outcome.configSHA256
        self.needsRestart = outcome.needsRestart.isEmpty ? nil : outcome.needsRestart
        self.problems = outcome.problems.isEmpty ? nil : outcome.problems
    }
}
