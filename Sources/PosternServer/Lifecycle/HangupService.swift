import Logging
import ServiceLifecycle
import UnixSignals

/// What SIGHUP does: reload the configuration (systemd is told `RELOADING=1` and `READY=1` around it) and the TLS
/// files, and reopen the audit file (logrotate renames it, then sends SIGHUP). SIGHUP is trapped before the gateway
/// reports ready, so a hang-up never ends the process.
struct HangupService: Service {
    let hangups: UnixSignalsSequence
    let configReloader: ConfigReloader?
    let reloader: TLSReloader
    let audit: AuditLog
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await _ in hangups { await hangUp() }
        }
    }

    func hangUp() async {
        await configReloader?.reload(cause: "SIGHUP")
        reloader.reload(force: true, cause: "SIGHUP")
        AuditReopening.reopen(audit, cause: "SIGHUP", logger: logger)
    }
}

/// Reopens the audit file, logging the outcome: shared by SIGHUP and `POST /admin/reopen`.
enum AuditReopening {
    @discardableResult
    static func reopen(_ audit: AuditLog, cause: String, logger: Logger) -> Error? {
        do {
            try audit.reopen()
            logger.info("audit file reopened", metadata: ["cause": "\(cause)"])
            return nil
        } catch {
            logger.error("audit file could not be reopened; writing on to the old one",
                         metadata: ["cause": "\(cause)", "reason": "\(error)"])
            return error
        }
    }
}

/// Tells systemd the gateway is ready once every listener is bound (the store is open before any starts), and that it
/// is stopping as soon as graceful shutdown begins.
struct SystemdNoticeService: Service {
    let gate: StartGate
    let notifier: SystemdNotifier

    func run() async throws {
        guard await gate.wait() else { return }
        notifier.ready()
        try? await gracefulShutdown()
        notifier.stopping()
    }
}
