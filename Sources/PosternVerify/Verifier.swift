import Foundation
import PosternCore

/// Checks one request's authenticity from its raw body, its headers and the current time.
/// Pure: no I/O, no clock of its own, so it can be tested at any instant and fuzzed.
public protocol Verifier: Sendable {
    func verify(body: [UInt8], headers: RequestHeaders, now: Date) -> Verdict
}
