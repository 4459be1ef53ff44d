import Crypto
import Foundation
import PosternCore
import Synchronization

/// The console's signed-in sessions, kept in memory: each is a random id (the HttpOnly cookie), who signed in (the
/// admin token's name and role, and a digest of the token, so a reload that revokes or changes it ends the
/// session), a CSRF token for its forms, and an expiry. A restart signs everyone out.
final class ConsoleSessions: Sendable {
    struct Session: Sendable {
        var id: String
        var identity: AdminIdentity
        var tokenDigest: [UInt8]
        var csrf: String
        var expires: Date
    }

    static let lifetime: TimeInterval = 8 * 3600
    static let maxSessions = 1000
    private let sessions = Mutex<[String: Session]>([:])

    /// A new session for whoever holds `token`; the oldest session goes when there are `maxSessions` already.
    func create(_ identity: AdminIdentity, token: String, now: Date) -> Session {
        let session = Session(id: Self.random(), identity: identity, tokenDigest: Self.digest(token), csrf: Self.random(),
                              expires: now.addingTimeInterval(Self.lifetime))
        sessions.withLock { sessions in
            sessions = sessions.filter { $0.value.expires > now }
            if sessions.count >= Self.maxSessions, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires }) {
                sessions.removeValue(forKey: oldest.key)
            }
            sessions[session.id] = session
        }
        return session
    }

    /// The live session with this id, while its token is still configured with the same name and role.
    func session(_ id: String, tokens: AdminTokens, now: Date) -> Session? {
        guard let session = sessions.withLock({ $0[id] }), session.expires > now else { return nil }
        if tokens.isUnguarded { return session }
        let stillHeld = tokens.tokens.contains {
            $0.name == session.identity.name && $0.role == session.identity.role && Self.digest($0.token) == session.tokenDigest
        }
        if !stillHeld { end(id) }
        return stillHeld ? session : nil
    }

    func end(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }

    /// 32 random bytes, base64url: a session id, a CSRF token, a log-in form's nonce.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64URLEncoded
    }

    private static func digest(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }
}
