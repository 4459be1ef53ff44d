/// The well-formedness check of an XML body (XML 1.0, fifth edition): one root element, tags that nest and match,
/// attributes quoted and unique, references that resolve, legal characters, UTF-8 only, nesting at most `maxDepth`.
///
/// A document type declaration is refused, and with it every entity declaration: only the five predefined entities
/// and character references resolve, so there is no external entity (XXE) and no entity expansion. FoundationXML's
/// `XMLParser` (libxml2) has no hook before it reads a DTD and would link libxml2 into the binary; this checker is the
/// part of XML a body without a DTD needs, and it keeps nothing but a stack of open element names.
public struct XMLBody {
    /// Why a body is not acceptable XML; the message says where.
    public struct Failure: Error, Sendable, Equatable {
        public var message: String
    }

    public static let defaultMaxDepth = 64

    private let scalars: [Unicode.Scalar]
    private let maxDepth: Int
    private var index = 0

    /// Checks the body and returns the root element's name.
    @discardableResult
    public static func check(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(Failure) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(message: "the body is not UTF-8")
        }
        var checker = XMLBody(scalars: Array(text.unicodeScalars), maxDepth: maxDepth)
        return try checker.document()
    }

    private init(scalars: [Unicode.Scalar], maxDepth: Int) {
        self.scalars = scalars
        self.maxDepth = maxDepth
    }

    // MARK: The document

    private mutating func document() throws(Failure) -> String {
        if peek() == "\u{FEFF}" { index += 1 }
        if starts(with: "<?xml"), let after = scalar(at: index + 5), Self.isSpace(after) { try declaration() }
        try misc()
        if starts(with: "<!DOCTYPE") {
            throw failure("a document type declaration (<!DOCTYPE) is refused: no DTD, no entity declarations")
        }
        guard peek() == "<" else { throw failure("expected the root element") }
        let root = try element()
        try misc()
        guard index == scalars.count else { throw failure("content after the root element") }
        return root
    }

    /// `<?xml version="1.x" encoding="UTF-8"?>`; any other encoding than UTF-8 is refused.
    private mutating func declaration() throws(Failure) {
        let start = index
        index += 5
        guard let end = find("?>") else { throw failure("an XML declaration without its end (?>)") }
        let text = String(String.UnicodeScalarView(scalars[start + 5..<end]))
        index = end + 2
        guard text.contains("version") else {
            index = start
            throw failure("an XML declaration without a version")
        }
        if let range = text.range(of: "encoding") {
            let rest = text[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
            guard rest.lowercased().hasPrefix("utf-8") else {
                index = start
                throw failure("only UTF-8 is accepted as the encoding")
            }
        }
    }

    /// Comments, processing instructions and white space, outside the root element.
    private mutating func misc() throws(Failure) {
        while index < scalars.count {
            if let scalar = peek(), Self.isSpace(scalar) {
                index += 1
            } else if starts(with: "<!--") {
                try comment()
            } else if starts(with: "<?") {
                try processingInstruction()
            } else {
                return
            }
        }
    }

    // MARK: Elements

    /// The element starting here and everything in it, with the open elements on a stack instead of recursion.
    private mutating func element() throws(Failure) -> String {
        var open: [String] = []
        var root = ""
        repeat {
            if starts(with: "</") {
                index += 2
                let name = try name()
                skipSpace()
                guard take(">") else { throw failure("expected > to end </\(name)") }
                guard name == open.last else { throw failure("</\(name)> does not close <\(open.last ?? "")>") }
                open.removeLast()
            } else if starts(with: "<!--") {
                try comment()
            } else if starts(with: "<![CDATA[") {
                index += 9
                guard let end = find("]]>") else { throw failure("a CDATA section without its end (]]>)") }
                try checkCharacters(upTo: end)
                index = end + 3
            } else if starts(with: "<?") {
                try processingInstruction()
            } else if starts(with: "<!") {
                throw failure("markup declarations (<!) are refused")
            } else if peek() == "<" {
                index += 1
                let (name, isEmpty) = try startTag()
                if open.isEmpty, root.isEmpty { root = name }
                if !isEmpty {
                    guard open.count < maxDepth else { throw failure("elements nested deeper than \(maxDepth)") }
                    open.append(name)
                }
            } else {
                try characterData()
            }
        } while !open.isEmpty && index < scalars.count
        guard open.isEmpty else { throw failure("<\(open.last ?? "")> is not closed") }
        guard !root.isEmpty else { throw failure("expected the root element") }
        return root
    }

    /// A start tag's name and attributes after its `<`, and whether it closed itself (`/>`).
    private mutating func startTag() throws(Failure) -> (name: String, isEmpty: Bool) {
        let name = try name()
        var attributes: Set<String> = []
        while true {
            let spaced = skipSpace()
            if take("/") {
                guard take(">") else { throw failure("expected > after / in <\(name)") }
                return (name, true)
            }
            if take(">") { return (name, false) }
            guard spaced else { throw failure("expected white space before an attribute of <\(name)") }
            let attribute = try self.name()
            guard attributes.insert(attribute).inserted else { throw failure("attribute \(attribute) repeated in <\(name)>") }
            skipSpace()
            guard take("=") else { throw failure("expected = after attribute \(attribute)") }
            skipSpace()
            try attributeValue()
        }
    }

    private mutating func attributeValue() throws(Failure) {
        guard let quote = peek(), quote == "\"" || quote == "'" else { throw failure("an attribute value must be quoted") }
        index += 1
        while let scalar = peek(), scalar != quote {
            if scalar == "<" { throw failure("< inside an attribute value") }
            if scalar == "&" { try reference() } else { try character() }
        }
        guard take(quote) else { throw failure("an attribute value without its closing quote") }
    }

    /// Text between tags: no `<` (it starts markup), `&` only in a reference, never `]]>`.
    private mutating func characterData() throws(Failure) {
        while let scalar = peek(), scalar != "<" {
            if scalar == "&" {
                try reference()
            } else {
                if scalar == "]", starts(with: "]]>") { throw failure("]]> outside a CDATA section") }
                try character()
            }
        }
    }

    /// `&lt;` `&gt;` `&amp;` `&apos;` `&quot;`, or `&#N;` / `&#xH;` naming a legal character.
    private mutating func reference() throws(Failure) {
        let start = index
        index += 1
        if take("#") {
            let isHex = take("x")
            var digits = ""
            while let scalar = peek(), scalar != ";", digits.count <= 8 {
                digits.unicodeScalars.append(scalar)
                index += 1
            }
            guard take(";"), let value = UInt32(digits, radix: isHex ? 16 : 10), !digits.contains("+"),
                  !digits.contains("-"), let referenced = Unicode.Scalar(value), Self.isCharacter(referenced) else {
                index = start
                throw failure("a character reference to no legal character")
            }
            return
        }
        let name = try self.name()
        guard take(";"), ["lt", "gt", "amp", "apos", "quot"].contains(name) else {
            index = start
            throw failure("&\(name); is not a predefined entity (there is no DTD to declare others)")
        }
    }

    // MARK: Comments and processing instructions

    private mutating func comment() throws(Failure) {
        index += 4
        guard let end = find("--") else { throw failure("a comment without its end (-->)") }
        guard scalar(at: end + 2) == ">" else {
            index = end
            throw failure("-- inside a comment")
        }
        try checkCharacters(upTo: end)
        index = end + 3
    }

    private mutating func processingInstruction() throws(Failure) {
        index += 2
        let target = try name()
        guard target.lowercased() != "xml" else { throw failure("an XML declaration that is not at the start") }
        guard let end = find("?>") else { throw failure("a processing instruction without its end (?>)") }
        if index < end, let scalar = peek(), !Self.isSpace(scalar) { throw failure("expected white space after <?\(target)") }
        try checkCharacters(upTo: end)
        index = end + 2
    }

    // MARK: Names and characters

    private mutating func name() throws(Failure) -> String {
        guard let first = peek(), Self.isNameStart(first) else { throw failure("expected a name") }
        var name = String(first)
        index += 1
        while let scalar = peek(), Self.isNameStart(scalar) || Self.isNamePart(scalar) {
            name.unicodeScalars.append(scalar)
            index += 1
        }
        return name
    }

    private mutating func character() throws(Failure) {
        guard let scalar = peek(), Self.isCharacter(scalar) else { throw failure("a character XML does not allow") }
        index += 1
    }

    private mutating func checkCharacters(upTo end: Int) throws(Failure) {
        while index < end { try character() }
    }

    /// XML's Char production: tab, line feed, carriage return, and the rest of Unicode but the other controls,
    /// surrogates, U+FFFE and U+FFFF.
    static func isCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3A, 0x41...0x5A, 0x5F, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D,
             0x37F...0x1FFF, 0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF,
             0xFDF0...0xFFFD, 0x10000...0xEFFFF: true
        default: false
        }
    }

    static func isNamePart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: true
        default: false
        }
    }

    // MARK: Reading

    private func peek() -> Unicode.Scalar? {
        scalar(at: index)
    }

    private func scalar(at position: Int) -> Unicode.Scalar? {
        position < scalars.count ? scalars[position] : nil
    }

    private mutating func take(_ expected: Unicode.Scalar) -> Bool {
        guard peek() == expected else { return false }
        index += 1
        return true
    }

    @discardableResult
    private mutating func skipSpace() -> Bool {
        let start = index
        while let scalar = peek(), Self.isSpace(scalar) { index += 1 }
        return index > start
    }

    private func starts(with text: String) -> Bool {
        var position = index
        for expected in text.unicodeScalars {
            guard scalar(at: position) == expected else { return false }
            position += 1
        }
        return true
    }

    /// Where `text` next starts, from here.
    private func find(_ text: String) -> Int? {
        let pattern = Array(text.unicodeScalars)
        var position = index
        while position + pattern.count <= scalars.count {
            if scalars[position] == pattern[0], scalars[position..<position + pattern.count].elementsEqual(pattern) {
                return position
            }
            position += 1
        }
        return nil
    }

    private func failure(_ what: String) -> Failure {
        Failure(message: "\(what) at character \(index)")
    }
}
