/// What a source that takes OAuth access tokens (`verify: {preset: oauth}`) requires of one beyond a valid
/// signature and lifetime: every scope listed, and a client among those listed (any configured client when empty).
public struct TokenRequirement: Sendable, Equatable {
    public var scopes: [String]
    public var clients: [String]
    /// Seconds of clock difference allowed on `exp` and `nbf`.
    public var leeway: Int

    public static let defaultLeeway = 30

    public init(scopes: [String] = [], clients: [String] = [], leeway: Int = defaultLeeway) {
        self.scopes = scopes
        self.clients = clients
        self.leeway = leeway
    }
}
