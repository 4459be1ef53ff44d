extension StringProtocol {
    /// Whether the text holds an ASCII character, by its UTF-8 bytes. `contains("~")` with a string literal is
    /// Foundation's NSString search, which measured a quarter of a whole schema check.
    func containsASCII(_ character: Unicode.Scalar) -> Bool {
        utf8.contains(UInt8(ascii: character))
    }
}
