import Foundation
import Logging

/// The process's open-file limit, raised at start to what the listeners' `maxConnections` need, so connections
/// wait in the kernel's backlog at the cap instead of failing for want of descriptors.
enum FileDescriptorLimit {
    /// Descriptors kept for the store, the audit file, delivery connections and the like.
    static let reserve = 256

    /// Raises the soft limit towards every listener's `maxConnections` plus the reserve, up to the hard limit, and
    /// warns when not even one listener's worth fits.
    static func raise(maxConnections: Int, listeners: Int, logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let wanted = rlim_t(clamping: maxConnections * listeners + reserve)
        if limit.rlim_cur < wanted {
            limit.rlim_cur = min(wanted, limit.rlim_max)
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        if limit.rlim_cur < rlim_t(clamping: maxConnections + reserve) {
            logger.warning("the open-file limit is below what connections.maxConnections needs",
                           metadata: ["limit": "\(limit.rlim_cur)", "maxConnections": "\(maxConnections)"])
        }
    }
}
