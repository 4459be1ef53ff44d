/// What reading the store needs of a configuration: where the store and the audit log are, and which destinations
/// each source delivers to from the outbox. `events`, `deliveries` and `replay` load only this, so they run with the
/// store's settings alone, without the secrets a running gateway needs.
public struct StoreView: Sendable, Equatable {
    public var store: StoreLocation
    public var audit: AuditOutput
    /// Each source's outbox destinations that a replay naming none goes to, by source name: those without a
    /// routing filter, which only a replay naming the destination reaches.
    public var sourceDestinations: [String: [String]]
    /// Every configured destination's name.
    public var destinations: [String]
    /// The ordering of each destination that orders its deliveries: a replay that creates a delivery keys it too.
    public var orderings: [String: DeliveryOrdering]

    public init(store: StoreLocation, audit: AuditOutput, sourceDestinations: [String: [String]], destinations: [String],
                orderings: [String: DeliveryOrdering] = [:]) {
        self.store = store
        self.audit = audit
        self.sourceDestinations = sourceDestinations
        self.destinations = destinations
        self.orderings = orderings
    }

    /// The view of a whole configuration (the admin API's).
    public init(_ config: GatewayConfig) {
        self.init(store: config.store, audit: config.audit,
                  sourceDestinations: Dictionary(config.sources.map { source in
                      (source.name, source.queuedDestinations.filter { source.routes[$0] == nil })
                  }, uniquingKeysWith: { a, _ in a }),
                  destinations: config.destinations.map(\.name),
                  orderings: Dictionary(config.destinations.compactMap { d in d.ordering.map { (d.name, $0) } },
                                        uniquingKeysWith: { first, _ in first }))
    }

    /// Reads only the keys the view needs; every other key is left unread, whatever it holds.
    public static func decode(_ root: ConfigNode, baseDirectory: String) throws(ConfigProblems) -> StoreView {
        var problems: [ConfigProblem] = []
        let store = GatewayConfig.decodeStore(root["store"], baseDirectory: baseDirectory, &problems)
        let audit = GatewayConfig.decodeAudit(root["audit"], baseDirectory: baseDirectory, &problems)
        var sources: [String: [String]] = [:]
        for source in root["sources"].elements(&problems) {
            guard let name = source["name"].requiredString(&problems) else { continue }
            let upstream = source["respond"]["upstream"].string(&problems)
            sources[name] = GatewayConfig.unfilteredDestinationNames(source["destinations"], &problems).filter { $0 != upstream }
        }
        let destinationNodes = root["destinations"].elements(&problems)
        let destinations = destinationNodes.compactMap { $0["name"].requiredString(&problems) }
        var orderings: [String: DeliveryOrdering] = [:]
        for node in destinationNodes {
            // Read leniently: the whole configuration's checks are `postern check`'s.
            var ignored: [ConfigProblem] = []
            guard let name = node["name"].string(&ignored) else { continue }
            if node["ordering"].isPresent {
                orderings[name] = GatewayConfig.decodeOrdering(node["ordering"], &ignored)
            } else if node["type"].string(&ignored) == "genesys" {
                orderings[name] = DeliveryOrdering(key: .body(GatewayConfig.decodeMapping(node["mapping"], &ignored).fromId))
            }
        }
        guard problems.isEmpty, let store else { throw ConfigProblems(problems) }
        return StoreView(store: store, audit: audit, sourceDestinations: sources, destinations: destinations,
                         orderings: orderings)
    }

    /// The problem to report for a source name the configuration does not have, or nil.
    public func unknownSource(_ name: String) -> String? {
        guard sourceDestinations[name] == nil else { return nil }
        let known = sourceDestinations.keys.sorted().joined(separator: ", ")
        return "no source is named \"\(name)\" (configured: \(known.isEmpty ? "none" : known))"
    }
}
