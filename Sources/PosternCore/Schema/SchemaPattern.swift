/// A `pattern` or `patternProperties` regular expression, compiled once with Swift's regex engine set as close to
/// ECMA-262 with the `u` flag as it goes: matched by Unicode scalar (not grapheme cluster), `\d` and `\w` ASCII only,
/// unanchored (a match anywhere passes). docs/configuration.md lists where the engines still differ.
///
/// `@unchecked Sendable`: a compiled `Regex` is an immutable program; only its type-erased output type
/// (`AnyRegexOutput`, which is never stored here) keeps the compiler from proving it.
struct SchemaPattern: @unchecked Sendable {
    let source: String
    let regex: Regex<AnyRegexOutput>

    /// Nil when Swift's engine cannot compile `source`; the schema is then refused with the keyword's pointer.
    init?(_ source: String) {
        guard let regex = try? Regex(source) else { return nil }
        self.source = source
        self.regex = regex.matchingSemantics(.unicodeScalar).asciiOnlyDigits().asciiOnlyWordCharacters()
    }

    func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }
}
