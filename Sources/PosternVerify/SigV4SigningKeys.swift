import Crypto
import Synchronization

/// Derives SigV4 signing keys (`AWS4<secret>` → date → region → service → `aws4_request`) and keeps them per
/// (access key id, date, region, service), since a key serves every request of its day.
final class SigV4SigningKeys: Sendable {
    private struct Scope: Hashable {
        var accessKeyID: String
        var date: String
        var region: String
        var service: String
    }

    /// Enough for every key, region and service of a source for several days; older entries are dropped together.
    private static let capacity = 1024
    private let cache = Mutex<[Scope: SymmetricKey]>([:])

    func key(accessKeyID: String, secret: String, date: String, region: String, service: String) -> SymmetricKey {
        let scope = Scope(accessKeyID: accessKeyID, date: date, region: region, service: service)
        if let cached = cache.withLock({ $0[scope] }) { return cached }
        let derived = Self.derive(secret: secret, date: date, region: region, service: service)
        cache.withLock { cache in
            if cache.count >= Self.capacity { cache.removeAll() }
            cache[scope] = derived
        }
        return derived
    }

    static func derive(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(secret)".utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }
}
