/// A set of non-negative integers kept as bits, the first 64 inline: which members (by their offset in the object's
/// storage) and which items a subschema evaluated. Replaces `Set<JSONKey>`, whose hashing measured a sixth of a
/// schema check.
struct OffsetSet: Equatable {
    private var low: UInt64 = 0
    private var high: [UInt64] = []

    func contains(_ offset: Int) -> Bool {
        if offset < 64 { return low & (1 << UInt64(offset)) != 0 }
        let (word, bit) = (offset / 64 - 1, offset % 64)
        return word < high.count && high[word] & (1 << UInt64(bit)) != 0
    }

    mutating func insert(_ offset: Int) {
        if offset < 64 {
            low |= 1 << UInt64(offset)
            return
        }
        let (word, bit) = (offset / 64 - 1, offset % 64)
        if word >= high.count { high.append(contentsOf: repeatElement(0, count: word - high.count + 1)) }
        high[word] |= 1 << UInt64(bit)
    }

    mutating func formUnion(_ other: OffsetSet) {
        low |= other.low
        if high.count < other.high.count { high.append(contentsOf: repeatElement(0, count: other.high.count - high.count)) }
        for (word, bits) in other.high.enumerated() { high[word] |= bits }
    }

    var count: Int { high.reduce(low.nonzeroBitCount) { $0 + $1.nonzeroBitCount } }
}
