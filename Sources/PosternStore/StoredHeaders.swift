import Foundation
import PosternCore

/// The header list both stores keep with an event: `[["name","value"],…]`.
enum StoredHeaders {
    static func encode(_ fields: [(name: String, value: String)]) -> String {
        JSONText.pairs(fields)
    }

    static func decode(_ text: String) -> [(name: String, value: String)] {
        guard let pairs = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String]] else { return [] }
        return pairs.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
    }
}
