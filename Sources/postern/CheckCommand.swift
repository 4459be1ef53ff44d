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
        for note in Self.notes(plan) { print("\(options.config): note: \(note)", to: &standardError) }
        print("\(options.config): ok (\(counted(plan.sources.sources.count, "source")))")
    }

    /// What is valid but weaker than it looks: a timestamp the signature does not cover while retention is set, so
    /// the signature dedup, the only replay protection left, ends when an event is pruned.
    ///
    /// And a schema on a source whose sender breaks on any answer but success (Genesys Open Messaging, jambonz): a
    /// schema refusal is a 422 that drops the customer's message or breaks the call.
    static func warnings(_ plan: GatewayPlan) -> [String] {
        plan.sources.sources.enumerated().flatMap { index, source -> [String] in
            var warnings: [String] = []
            let name = "sources[\(index)] (\(source.name))"
            if let retention = plan.config.retention, source.verifier.timestampIsSigned == false {
                warnings.append("\(name): \(source.verifier.presetName) does not sign its timestamp, so a"
                    + " captured request resent with a fresh timestamp passes the window; only the signature dedup refuses it,"
                    + " and retention (\(Int(saturating: retention.seconds)) s) ends that when the event is pruned")
            }
            if source.schema != nil, source.verifier.preset.successStatuses != nil {
                warnings.append("\(name): \(source.verifier.presetName) takes only 2xx answers as success, so a body the"
                    + " schema refuses (422) breaks the conversation; prefer checking it after it is stored")
            }
            return warnings
        }
    }

    /// The sources that use a tutorial's convention, which no vendor documents.
    static func notes(_ plan: GatewayPlan) -> [String] {
        plan.sources.sources.enumerated().compactMap { index, source in
            guard source.verifier.preset.isTutorialConvention else { return nil }
            return "sources[\(index)] (\(source.name)): \(source.verifier.presetName) mirrors a published tutorial's"
                + " convention; no vendor documents it (docs/verification.md, tutorial conventions)"
        }
    }
}
