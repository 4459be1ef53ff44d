import CConcurrencyHook
import NIOCore
import NIOPosix

/// Makes NIO's singleton event loops Swift's global executor, as `NIOSingletons`'
/// `unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor` does, but through a link-time reference
/// to the runtime's hook instead of `dlsym`, which finds nothing in the release binary (linked with
/// `--static-swift-stdlib`, where the hook is a hidden symbol). Without it every request of that binary paid thread
/// switches to Dispatch's pool and back: Dispatch's threads took 25 % of its CPU under load (docs/performance.md,
/// 2026-12-04).
enum EventLoopExecutor {
    private typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Installs the hook unless one is installed already; false then. Call it once, before any task starts.
    static func install() -> Bool {
        let hook = postern_enqueue_global_hook()
        guard hook.pointee == nil else { return false }
        withUnsafeTemporaryAllocation(of: EnqueueGlobalHook.self, capacity: 1) { enqueue in
            // `any()` is the current loop when called on one of the group's loops: a job stays where it is made.
            enqueue.baseAddress!.initialize(to: { job, _ in MultiThreadedEventLoopGroup.singleton.any().executor.enqueue(job) })
            enqueue.baseAddress!.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 1) { hook.pointee = $0.pointee }
        }
        return true
    }

    /// Whether a new task runs on one of the event loops: the hook is in place and works.
    static func isInstalled() async -> Bool {
        await Task.detached { MultiThreadedEventLoopGroup.currentEventLoop != nil }.value
    }
}
