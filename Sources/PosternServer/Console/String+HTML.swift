import PosternCore

extension String {
    /// This text escaped for the console's HTML.
    var html: String { markupEscaped }
}

extension Optional<String> {
    /// This text escaped for HTML, or a dash for none.
    var html: String { map(\.markupEscaped) ?? "–" }
}
