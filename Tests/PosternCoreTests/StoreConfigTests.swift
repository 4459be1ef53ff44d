import Foundation
import PosternCore
import Testing

/// The store URL: SQLite paths and PostgreSQL URLs, and a PostgreSQL URL that gives up durability refused.
struct StoreConfigTests {
    func store(_ text: String) -> Result<StoreLocation, ConfigProblems> {
        store(.string(text))
    }

    func store(_ value: ConfigValue) -> Result<StoreLocation, ConfigProblems> {
        let root: ConfigValue = .map(["store": value, "sources": .list([.map([
            "name": .string("s"), "path": .string("/h"), "verify": .map(["preset": .string("none")])])])])
        return Result { () throws(ConfigProblems) in try GatewayConfig.decode(ConfigNode(root), baseDirectory: "/srv").store }
    }

    @Test func locations() throws {
        #expect(try store("sqlite:data/p.db").get() == .sqlite(path: "/srv/data/p.db"))
        #expect(try store("postgres://postern@db:5432/postern?sslmode=require").get()
                == .postgres(url: "postgres://postern@db:5432/postern?sslmode=require"))
        for bad in ["postgres://db/postern", "postgres://u@db", "mysql://u@db/x", "postgres://u@db/x?synchronous_commit=off"] {
            guard case .failure(let error) = store(bad) else { Issue.record("accepted \(bad)"); continue }
            #expect(error.problems.map(\.path) == ["store"])
        }
    }

    @Test func aPostgresClaimLeaseIsConfigured() throws {
        let url = "postgres://postern@db:5432/postern"
        #expect(try store(.map(["url": .string(url), "lease": .int(5)])).get() == .postgres(url: url, lease: .seconds(5)))
        #expect(try store(.map(["url": .string(url)])).get() == .postgres(url: url, lease: .seconds(30)))
        for bad: ConfigValue in [.map(["url": .string(url), "lease": .int(0)]), .map(["url": .string(url), "lease": .double(1e9)]),
                                 .map(["url": .string("sqlite:x.db"), "lease": .int(5)]), .map(["url": .string(url), "leas": .int(5)])] {
            guard case .failure(let error) = store(bad) else { Issue.record("accepted \(bad)"); continue }
            #expect(error.problems.allSatisfy { $0.path.hasPrefix("store") }, "\(error.problems)")
        }
    }
}
