import Foundation

/// A Standard Webhooks signing secret, `whsec_<base64>`: the key is the base64-decoded part.
public enum StandardWebhooksSecret {
    /// The key bytes, or nil when the text is not such a secret (24 to 64 bytes once decoded).
    public static func keyBytes(_ secret: String) -> [UInt8]? {
        guard secret.hasPrefix("whsec_"), let data = Data(base64Encoded: String(secret.dropFirst(6))),
              (24...64).contains(data.count) else { return nil }
        return Array(data)
    }
}
