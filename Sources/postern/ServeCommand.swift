import ArgumentParser

/// `postern serve`: run the gateway until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the gateway.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let logger = makeLogger()
        let gateway = try options.loadGateway(logger: logger)
        try await gateway.run()
    }
}
