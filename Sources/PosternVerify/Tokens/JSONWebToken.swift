import Foundation
import PosternCore

/// A compact JWS (RFC 7515 §7.1) as a caller sent it, parsed for hostile input: at most `maxBytes`, exactly three
/// segments of canonical base64url without padding, a header and claims that are JSON objects (duplicate members
/// refused), and no header that points elsewhere for a key (`jku`, `x5u`, `jwk`, `x5c`) or asks for extensions
/// (`crit`): a key is only ever found by `kid` among the keys configured here.
///
/// The signature is not checked here: `TokenKey.isValidSignature` does that, for the key the `kid` names.
public struct JSONWebToken: Sendable {
    /// The longest token taken: the tokens Postern issues are under 1 KiB; an identity provider's rarely pass 4 KiB.
    public static let maxBytes = 8192
    /// Header members that would fetch or carry a key, or demand extensions: refused outright.
    static let refusedHeaders: Set<JSONKey> = ["jku", "x5u", "jwk", "x5c", "crit"]

    /// `alg` as sent: matched against the key's own algorithm, never used to choose one.
    public let algorithm: String
    public let keyID: String?
    public let claims: [JSONKey: JSONValue]
    /// The bytes the signature covers: the first two segments and the dot between them.
    public let signingInput: [UInt8]
    public let signature: [UInt8]

    /// Why a token was refused before any key was tried.
    public struct Malformed: Error, Sendable, Equatable {
        public let reason: String
    }

    public init(_ text: Substring) throws(Malformed) {
        guard text.utf8.count <= Self.maxBytes else { throw Malformed(reason: "the token is longer than \(Self.maxBytes) bytes") }
        let segments = text.split(separator: ".", maxSplits: 3, omittingEmptySubsequences: false)
        guard segments.count == 3, segments.allSatisfy({ !$0.isEmpty }) else {
            throw Malformed(reason: "the token is not three dot-separated segments (a signed JWT)")
        }
        guard let headerBytes = Self.decode(segments[0]), let claimBytes = Self.decode(segments[1]),
              let signature = Self.decode(segments[2]) else {
            throw Malformed(reason: "a segment of the token is not base64url without padding")
        }
        guard case .object(let header)? = try? JSONParser.parse(headerBytes, maxDepth: 4) else {
            throw Malformed(reason: "the token's header is not a JSON object")
        }
        guard case .object(let claims)? = try? JSONParser.parse(claimBytes, maxDepth: 8) else {
            throw Malformed(reason: "the token's claims are not a JSON object")
        }
        if let refused = header.keys.filter(Self.refusedHeaders.contains).sorted().first {
            throw Malformed(reason: "the token's header carries \(refused.name): keys are only found by kid among those configured")
        }
        guard case .string(let algorithm)? = header["alg"] else { throw Malformed(reason: "the token's header has no alg") }
        let keyID: String?
        switch header["kid"] {
        case nil: keyID = nil
        case .string(let kid)?: keyID = kid
        default: throw Malformed(reason: "the token's kid is not a string")
        }
        self.algorithm = algorithm
        self.keyID = keyID
        self.claims = claims
        self.signingInput = Array(text.utf8.prefix(segments[0].utf8.count + 1 + segments[1].utf8.count))
        self.signature = signature
    }

    /// Canonical base64url without padding: the alphabet only, and the text that encoding the bytes gives back (so
    /// no stray low bits in the last character, and one text per token).
    static func decode(_ segment: Substring) -> [UInt8]? {
        guard !segment.utf8.contains(UInt8(ascii: "=")), let data = Data(base64URLEncoded: segment),
              data.base64URLEncoded.utf8.elementsEqual(segment.utf8) else { return nil }
        return Array(data)
    }

    /// A claim that is a string.
    public func string(_ name: JSONKey) -> String? {
        if case .string(let value)? = claims[name] { return value }
        return nil
    }

    /// A NumericDate claim (RFC 7519 §2), in whole seconds; nil when absent or not a finite number.
    public func seconds(_ name: JSONKey) -> Int64? {
        guard case .number(let number)? = claims[name], number.value.isFinite,
              abs(number.value) < 1e15 else { return nil }
        return Int64(number.value.rounded(.down))
    }
}
