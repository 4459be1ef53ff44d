import Crypto
import Foundation
import PosternCore

/// The token a bulk replay's preview hands out and its confirmation must bring back: it carries the search exactly
/// as previewed (its times resolved, so it selects the same events later), the number of events it matched, and
/// an expiry, signed with a key this process made at start. It cannot be forged, changed or reused after it expires.
struct ReplayConfirmation: Sendable {
    /// What a preview saw: the search (a query string), and how many events it matched.
    struct Preview: Equatable {
        var search: String
        var events: Int
        var expires: Date
    }

    static let lifetime: TimeInterval = 600
    private let key: SymmetricKey

    init(key: SymmetricKey = SymmetricKey(size: .bits256)) {
        self.key = key
    }

    func token(for preview: Preview) -> String {
        let payload = Data("\(Int(preview.expires.timeIntervalSince1970)).\(preview.events).\(preview.search)".utf8).base64URLEncoded
        return payload + "." + Data(HMAC<SHA256>.authenticationCode(for: Array(payload.utf8), using: key)).base64URLEncoded
    }

    /// The preview a token was made for, if this process made it and it has not expired.
    func preview(_ token: String, now: Date) -> Preview? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count <= 16_384, let mac = Data(base64URLEncoded: parts[1]),
              HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Array(parts[0].utf8), using: key),
              let data = Data(base64URLEncoded: parts[0]), let payload = String(data: data, encoding: .utf8) else { return nil }
        let fields = payload.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3, let expires = Int(fields[0]), let events = Int(fields[1]),
              Double(expires) > now.timeIntervalSince1970 else { return nil }
        return Preview(search: String(fields[2]), events: events, expires: Date(timeIntervalSince1970: Double(expires)))
    }
}
