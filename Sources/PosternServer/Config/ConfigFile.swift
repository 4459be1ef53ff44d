import Foundation
import PosternCore
import Yams

/// Reads a configuration file: YAML, with `${NAME}` taken from the environment, into a `GatewayPlan`.
public enum ConfigFile {
    /// Loads and checks the file completely; throws `ConfigProblems` naming the key path and reason of every problem.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigProblems) -> GatewayPlan {
        try load(text: try read(path), baseDirectory: directory(of: path), environment: environment)
    }

    /// Loads and checks configuration text, with relative paths resolved against `baseDirectory`.
    public static func load(text: String, baseDirectory: String, environment: [String: String])
        throws(ConfigProblems) -> GatewayPlan {
        let root = try parse(text, environment: environment)
        return try GatewayPlan(GatewayConfig.decode(ConfigNode(root), baseDirectory: baseDirectory))
    }

    /// Loads what reading the store needs: a variable left unset is a problem only in `store` and `audit`, so the
    /// read-only commands run without the gateway's secrets.
    public static func loadStoreView(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigProblems) -> StoreView {
        let root = try parse(try read(path), environment: environment) { $0.hasPrefix("store") || $0.hasPrefix("audit") }
        return try StoreView.decode(ConfigNode(root), baseDirectory: directory(of: path))
    }

    /// Reads only `admin`: where the admin API listens and its tokens, for the commands that call it (`tail`,
    /// `forward`). Placeholders elsewhere may be unset.
    public static func loadAdmin(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigProblems) -> AdminConfig {
        let root = try parse(try read(path), environment: environment) { $0.hasPrefix("admin") }
        var problems: [ConfigProblem] = []
        let admin = GatewayConfig.decodeAdmin(ConfigNode(root)["admin"], &problems)
        guard problems.isEmpty, let admin else { throw ConfigProblems(problems) }
        return admin
    }

    private static func read(_ path: String) throws(ConfigProblems) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigProblems([ConfigProblem("", "cannot read \(path): \(error.localizedDescription)")])
        }
    }

    private static func directory(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// Parses YAML text and substitutes environment variables in its string values. An unset variable is a problem
    /// where `isRequired(keyPath)` says so, and empty text elsewhere.
    public static func parse(_ text: String, environment: [String: String],
                             isRequired: (String) -> Bool = { _ in true }) throws(ConfigProblems) -> ConfigValue {
        let placeholders = EnvironmentPlaceholders(text)
        let node: Node?
        do {
            node = try Yams.compose(yaml: placeholders.text)
        } catch {
            throw ConfigProblems([ConfigProblem("", "not valid YAML: \(error)")])
        }
        guard let node else { throw ConfigProblems([ConfigProblem("", "the file is empty")]) }
        var budget = maxValues
        guard let document = configValue(node, budget: &budget) else {
            throw ConfigProblems([ConfigProblem("", "the document expands to more than \(maxValues) values (YAML aliases repeat what they name); write it out")])
        }
        var problems: [ConfigProblem] = []
        let value = placeholders.substitute(in: document, path: "", environment: environment, &problems)
        problems = problems.filter { isRequired($0.path) }
        guard problems.isEmpty else { throw ConfigProblems(problems) }
        return value
    }

    /// The most values a configuration may hold once its aliases are expanded: far above any real configuration,
    /// far below what a "billion laughs" document of nested aliases expands to.
    static let maxValues = 100_000

    /// The node as a configuration value, or nil once more than `budget` values have been read.
    private static func configValue(_ node: Node, budget: inout Int) -> ConfigValue? {
        budget -= 1
        guard budget >= 0 else { return nil }
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            if node.null != nil { return .null }
            if let bool = node.bool { return .bool(bool) }
            if let int = node.int { return .int(int) }
            if let double = node.float { return .double(double) }
            return .string(scalar.string)
        case .mapping(let mapping):
            var map: [String: ConfigValue] = [:]
            for (key, value) in mapping {
                guard let converted = configValue(value, budget: &budget) else { return nil }
                map[key.string ?? "(a key that is not text)"] = converted
            }
            return .map(map)
        case .sequence(let sequence):
            var list: [ConfigValue] = []
            for item in sequence {
                guard let converted = configValue(item, budget: &budget) else { return nil }
                list.append(converted)
            }
            return .list(list)
        case .alias:
            return .null
        }
    }
}
