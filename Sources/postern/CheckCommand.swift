import ArgumentParser

/// `postern check`: validate a configuration file and exit non-zero with every problem.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate a configuration file; exit 2 with the key path of every problem.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let gateway = try options.loadGateway(logger: makeLogger())
        print("\(options.config): ok (\(gateway.sources.sources.count) sources)")
    }
}
