import Crypto
import Foundation
import PosternCore

/// The mirror of `HMACVerifier`: the headers a correct sender sends for a body, a secret and a time.
public struct HMACSigner: Sendable {
    public let descriptor: HMACDescriptor

    public init(descriptor: HMACDescriptor) {
        self.descriptor = descriptor
    }

    /// Header lines (`name`, `value`) for this body; `id` is used only where the convention signs one.
    public func headers(body: [UInt8], keyBytes: [UInt8], timestamp: Date,
                        id: String = "msg_\(UUID().lowercasedString)") -> [(name: String, value: String)] {
        let timestampText = descriptor.timestamp.map { _ in descriptor.formatTimestamp(timestamp) }
        let messageID = descriptor.idHeader.map { _ in id }
        let signed = descriptor.signedBytes(body: body, timestamp: timestampText, id: messageID)
        let verifier = HMACVerifier(descriptor: descriptor, keys: [keyBytes], scheme: "sign")
        let signature = descriptor.prefix + descriptor.encoding.encode(verifier.mac(signed, key: SymmetricKey(data: keyBytes)))

        var lines: [(name: String, value: String)] = []
        if let idHeader = descriptor.idHeader, let messageID { lines.append((idHeader, messageID)) }
        switch descriptor.timestamp {
        case .header(let name)?:
            lines.append((name, timestampText!))
            lines.append((descriptor.header, signature))
        case .signatureItem(let prefix)?:
            lines.append((descriptor.header, "\(prefix)\(timestampText!)\(descriptor.delimiter ?? ",")\(signature)"))
        case nil:
            lines.append((descriptor.header, signature))
        }
        return lines
    }
}
