import ArgumentParser
import Foundation
import Logging
import PosternCore
import PosternServer
import PosternStore

/// The `--config` option shared by every subcommand that reads a configuration file.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The configuration file (YAML).")
    var config: String = "postern.yaml"

    /// Loads and fully checks the configuration (sources, schemas, TLS files), printing every problem to standard error.
    func loadPlan() throws -> GatewayPlan {
        try reportingProblems { try ConfigFile.load(path: config) }
    }

    /// Loads what reading the store needs, for the commands that only read it (or queue replays): no secrets.
    func loadStoreView() throws -> StoreView {
        try reportingProblems { try ConfigFile.loadStoreView(path: config) }
    }

    /// Opens the configured store (the gateway may be running on it).
    func openStore(_ location: StoreLocation) async throws -> any EventStore & DeliveryQueue {
        try await StoreOpener.open(location)
    }

    private func reportingProblems<T>(_ load: () throws -> T) throws -> T {
        do {
            return try load()
        } catch let problems as ConfigProblems {
            var standardError = FileHandle.standardError
            print("\(config): configuration is not valid:", to: &standardError)
            for problem in problems.problems { print("  \(problem)", to: &standardError) }
            throw ExitCode(2)
        }
    }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) {
        write(Data(string.utf8))
    }
}

/// Prints each item on its own line: as JSON with `--json`, else as `line` describes it.
func printEach<Item: Encodable>(_ items: [Item], json: Bool, line: (Item) -> String) {
    for item in items {
        print(json ? JSONOutput.text(item) : line(item).escapingControlCharacters)
    }
}

/// The process's logger: text on standard error, at `LOG_LEVEL` (default info); an unknown level is refused, naming
/// the valid ones. Audit lines go elsewhere.
func makeLogger() throws -> Logger {
    var logger = Logger(label: "postern") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = .info
    if let text = ProcessInfo.processInfo.environment["LOG_LEVEL"] {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let valid = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw CommandFailure("LOG_LEVEL \"\(text.escapingControlCharacters)\" is not a log level (one of: \(valid))")
        }
        logger.logLevel = level
    }
    return logger
}

/// Prints a line to standard output at once, unbuffered: a follower's line (`tail`, `forward`) shows as it happens,
/// even into a pipe.
func printNow(_ line: String) {
    FileHandle.standardOutput.write(line + "\n")
}
