import Foundation
import PosternCore
import PosternVerify

/// Builds a preset's verifier as a source configuration would.
func presetVerifier(_ preset: String, secrets: [String] = [], credentials: [String] = [], header: String? = nil,
                    tolerance: Int? = nil) throws -> any Verifier {
    try SourceVerifier(verifySpec(preset: preset, secrets: secrets, credentials: credentials, header: header,
                                  tolerance: tolerance)).verifier
}

/// A `verify` section as the configuration file would hold it, at key path `path`.
func verifySpec(path: String = "verify", preset: String? = nil, secrets: [String] = [], credentials: [String] = [],
                header: String? = nil, tolerance: Int? = nil, extra: [String: ConfigValue] = [:]) -> ConfigNode {
    var map = extra
    map["preset"] = preset.map { .string($0) }
    if !secrets.isEmpty { map["secrets"] = .list(secrets.map { .string($0) }) }
    if !credentials.isEmpty { map["credentials"] = .list(credentials.map { .string($0) }) }
    map["header"] = header.map { .string($0) }
    map["tolerance"] = tolerance.map { .int($0) }
    return ConfigNode(.map(map), path: path)
}

extension SourceVerifier {
    /// Decodes a `verify` section and builds its verifier, as loading a configuration does.
    init(_ node: ConfigNode) throws(ConfigProblems) {
        self.init(try VerifyConfig(node))
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func at(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: seconds) }

extension Verdict {
    var isVerified: Bool {
        if case .verified = self { return true }
        return false
    }

    var reason: ReasonCode? {
        if case .refused(let failure) = self { return failure.reason }
        return nil
    }

    var verification: Verification? {
        if case .verified(let verification) = self { return verification }
        return nil
    }
}
