import Foundation
import PosternCore
import Testing

/// `retention` takes seconds or a duration with a unit.
struct RetentionConfigTests {
    func retention(_ value: ConfigValue) -> Result<Duration?, ConfigProblems> {
        let root: ConfigValue = .map(["retention": value, "sources": .list([.map([
            "name": .string("s"), "path": .string("/h"), "verify": .map(["preset": .string("none")])])])])
        return Result { () throws(ConfigProblems) in try GatewayConfig.decode(ConfigNode(root), baseDirectory: "/").retention }
    }

    @Test func unitsAndSeconds() throws {
        #expect(try retention(.string("30d")).get() == .seconds(30 * 86_400))
        #expect(try retention(.string("12h")).get() == .seconds(12 * 3600))
        #expect(try retention(.int(600)).get() == .seconds(600))
        #expect(try retention(.null).get() == nil)
        guard case .failure(let error) = retention(.string("soon")) else { Issue.record("accepted soon"); return }
        #expect(error.problems.map(\.path) == ["retention"])
    }
}
