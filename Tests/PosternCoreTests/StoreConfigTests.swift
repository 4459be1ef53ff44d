import Foundation
import PosternCore
import Testing

/// The store URL: SQLite paths and PostgreSQL URLs, and a PostgreSQL URL that gives up durability refused.
struct StoreConfigTests {
    func store(_ text: String) -> Result<StoreLocation, ConfigProblems> {
        let root: ConfigValue = .map(["store": .string(text), "sources": .list([.map([
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
}
