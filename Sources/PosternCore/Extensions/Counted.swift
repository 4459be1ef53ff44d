/// `1 source`, `3 sources`, `1 delivery`, `2 deliveries`: a count with its noun in the right number, for messages.
public func counted(_ count: Int, _ singular: String, plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
}
