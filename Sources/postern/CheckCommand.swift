import ArgumentParser
import Foundation
import PosternCore
import PosternServer

/// `postern check`: validate a configuration file and exit non-zero with every problem.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate a configuration file; exit 2 with the key path of every problem.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        _ = try makeLogger()  // an invalid LOG_LEVEL is a problem of the setup too
        let plan = try options.loadPlan()
        var standardError = FileHandle.standardError
        for warning in Self.warnings(plan) { print("\(options.config): warning: \(warning)", to: &standardError) }
        print("\(options.config): ok (\(counted(plan.sources.sources.count, "source")))")
    }

    /// What is valid but weaker than it looks: a timestamp the signature does not cover while retention is set, so
    /// the signature dedup, the only replay protection left, ends when an event is pruned.
    static func warnings(_ plan: GatewayPlan) -> [String] {
        guard let retention = plan.config.retention else { return [] }
        return plan.sources.sources.enumerated().compactMap { index, source in
            guard source.verifier.timestampIsSigned == false else { return nil }
            return "sources[\(index)] (\(source.name)): \(source.verifier.presetName) does not sign its timestamp, so a"
                + " captured request resent with a fresh timestamp passes the window; only the signature dedup refuses it,"
                + " and retention (\(Int(saturating: retention.seconds)) s) ends that when the event is pruned"
        }
    }
}
