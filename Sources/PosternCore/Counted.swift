/// `1 source`, `3 sources`: a count with its noun in the right number, for messages.
public func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
}
