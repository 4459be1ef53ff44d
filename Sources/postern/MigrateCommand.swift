import ArgumentParser

/// `postern migrate`: brings the configured store's schema up to date (serve does it too, at start).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the store's schema migrations (safe while other instances start).")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let store = try await options.openStore(try options.loadPlan().config.store)
        try await store.close()
        print("\(options.config): store schema up to date")
    }
}
