import Crypto
import Foundation
import PosternCore

/// Verifies requests signed by any convention an `HMACDescriptor` describes, against several secrets (rotation),
/// and the ed25519 signatures of conventions that have them (Standard Webhooks `v1a`) against public keys.
public struct HMACVerifier: Verifier {
    public let descriptor: HMACDescriptor
    public let scheme: String
    private let keys: [SymmetricKey]
    private let publicKeys: [Curve25519.Signing.PublicKey]

    /// - Parameter keys: secret key bytes, already decoded with `descriptor.keyBytes(for:)`.
    /// - Parameter publicKeys: ed25519 public keys, decoded with `descriptor.publicKeyBytes(for:)`.
    public init(descriptor: HMACDescriptor, keys: [[UInt8]], publicKeys: [[UInt8]] = [], scheme: String) {
        self.descriptor = descriptor
        self.keys = keys.map { SymmetricKey(data: $0) }
        self.publicKeys = publicKeys.compactMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }
        self.scheme = scheme
    }

    public func verify(_ request: WebhookRequest, now: Date) -> Verdict {
        let headers = request.headers
        guard let headerValue = headers[descriptor.header], !headerValue.isEmpty else {
            return .refused(.missingSignature("\(descriptor.header) header"))
        }
        let items = splitItems(headerValue)
        let signatures = items.compactMap(signature(in:))
        let edSignatures = publicKeys.isEmpty ? [] : items.compactMap(publicKeySignature(in:))

        var timestampText: String?
        var timestamp: Date?
        if let location = descriptor.timestamp {
            guard let text = findTimestamp(at: location, headers: headers, items: items) else {
                return .refused(.missingSignature(location.description))
            }
            switch checkWindow(text, now: now) {
            case .success(let date): timestamp = date
            case .failure(let failure): return .refused(failure)
            }
            timestampText = text
        }
        var messageID: String?
        if let idHeader = descriptor.idHeader {
            guard let id = headers[idHeader], !id.isEmpty else { return .refused(.missingSignature("\(idHeader) header")) }
            messageID = id
        }
        guard !signatures.isEmpty || !edSignatures.isEmpty else { return .refused(.invalidSignature) }

        let signed = descriptor.signedBytes(body: request.body, timestamp: timestampText, id: messageID)
        let verified: (scheme: String, index: Int, signature: [UInt8])
        if let (secretIndex, matched) = firstMatch(signed: signed, signatures: signatures) {
            verified = (scheme, secretIndex, matched)
        } else if let (keyIndex, matched) = firstPublicKeyMatch(signed: signed, signatures: edSignatures) {
            verified = (scheme + "+ed25519", keyIndex, matched)
        } else {
            return .refused(.invalidSignature)
        }
        return .verified(Verification(
            scheme: verified.scheme, secretIndex: verified.index, timestamp: timestamp,
            signatureDigest: ByteEncoding.hex.encode(SHA256.hash(data: verified.signature)), messageID: messageID))
    }

    /// An ed25519 signature item (`v1a,<base64>`), when the convention has them.
    private func publicKeySignature(in item: Substring) -> [UInt8]? {
        guard let prefix = descriptor.publicKeyPrefix, item.hasPrefix(prefix) else { return nil }
        return ByteEncoding.base64.decode(item.dropFirst(prefix.count).trimmingSpaces)
    }

    /// The first public key (by position among the public keys) that one of the signatures verifies with. Nothing
    /// here is secret, so the checks need not take constant time.
    private func firstPublicKeyMatch(signed: [UInt8], signatures: [[UInt8]]) -> (Int, [UInt8])? {
        for (index, key) in publicKeys.enumerated() {
            if let match = signatures.first(where: { key.isValidSignature($0, for: signed) }) { return (index, match) }
        }
        return nil
    }

    private func splitItems(_ value: String) -> [Substring] {
        guard let delimiter = descriptor.delimiter else { return [Substring(value)] }
        return value.split(separator: delimiter).map { $0.drop(while: \.isWhitespace) }
    }

    private func signature(in item: Substring) -> [UInt8]? {
        guard item.hasPrefix(descriptor.prefix) else { return nil }
        return descriptor.encoding.decode(item.dropFirst(descriptor.prefix.count).trimmingSpaces)
    }

    private func findTimestamp(at location: HMACDescriptor.TimestampLocation, headers: RequestHeaders,
                               items: [Substring]) -> String? {
        switch location {
        case .header(let name):
            return headers[name].flatMap { $0.isEmpty ? nil : $0.trimmingSpaces }
        case .signatureItem(let prefix):
            return items.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        }
    }

    private func checkWindow(_ text: String, now: Date) -> Result<Date, VerificationFailure> {
        guard let date = descriptor.parseTimestamp(text) else {
            return .failure(.timestampOutOfWindow("the timestamp is not a valid \(descriptor.timestampFormat.rawValue) time"))
        }
        let window = TimestampWindow(ahead: descriptor.futureTolerance ?? descriptor.tolerance, behind: descriptor.tolerance)
        if let refusal = window.refusal(for: date, now: now, named: "the timestamp") {
            return .failure(refusal)
        }
        return .success(date)
    }

    /// The first secret whose MAC equals one of the signatures; every comparison is constant-time.
    private func firstMatch(signed: [UInt8], signatures: [[UInt8]]) -> (Int, [UInt8])? {
        for (index, key) in keys.enumerated() {
            let expected = mac(signed, key: key)
            if let match = signatures.first(where: { ConstantTime.equals(expected, $0) }) {
                return (index, match)
            }
        }
        return nil
    }

    func mac(_ bytes: [UInt8], key: SymmetricKey) -> [UInt8] {
        switch descriptor.algorithm {
        case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: bytes, using: key))
        case .sha256: Array(HMAC<SHA256>.authenticationCode(for: bytes, using: key))
        case .sha512: Array(HMAC<SHA512>.authenticationCode(for: bytes, using: key))
        }
    }
}

extension HMACDescriptor.TimestampLocation: CustomStringConvertible {
    public var description: String {
        switch self {
        case .header(let name): "\(name) header"
        case .signatureItem(let prefix): "timestamp (\(prefix)) in the signature header"
        }
    }
}
