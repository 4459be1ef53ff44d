import Foundation
import PosternCore
import PosternVerify

/// Builds a preset's verifier as a source configuration would.
func presetVerifier(_ preset: String, secrets: [String] = [], credentials: [String] = [], header: String? = nil,
                    tolerance: Int? = nil) throws -> any Verifier {
    try SourceVerifier(VerifySpec(path: "verify", preset: preset, secrets: secrets, credentials: credentials,
                                  header: header, tolerance: tolerance)).verifier
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
