import ArgumentParser
import NIOCore
import NIOPosix
import PosternServer

/// `postern serve`: run the gateway until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the gateway.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        // Request handlers, the store's writer and the dispatcher then run on the event loops that do the I/O,
        // without a thread switch to Swift's own pool and back for every request (docs/performance.md).
        _ = EventLoopExecutor.install()
        let logger = try makeLogger()
        if !(await EventLoopExecutor.isInstalled()) {
            logger.warning("Swift tasks run on Swift's own thread pool, not on the event loops: every request pays thread switches")
        }
        try await Gateway(plan: try options.loadPlan(), configPath: options.config, logger: logger).run()
    }
}
