import Hummingbird
import PosternCore

/// The admin listener's request context: Hummingbird's, plus who is calling once `AdminAccess` has checked.
public struct AdminRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token (or console session) the call was made with; nil before the check, and on public routes.
    public var identity: AdminIdentity?
    /// On a console page: its session, and a POST's form fields once its CSRF token has been checked.
    var console: ConsoleCall?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// Who makes an admin call: the name of the token it carries (never the token) and that token's role.
public struct AdminIdentity: Sendable, Equatable {
    public var name: String
    public var role: AdminRole

    /// A loopback admin listener configured without tokens: open, as an operator.
    static let unguarded = AdminIdentity(name: "unguarded-loopback", role: .operator)
}

/// What `ConsoleAccess` found for a console request.
struct ConsoleCall: Sendable {
    var session: ConsoleSessions.Session
    var form: [String: String] = [:]
}
