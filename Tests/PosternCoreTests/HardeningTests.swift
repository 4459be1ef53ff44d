import PosternCore
import Testing

/// Findings of the adversarial pass that sit in pure functions: conversions that must not trap, JSON read by code
/// points and by its own text, well-formed addresses only, numeric configuration within documented ranges.
struct HardeningTests {
    func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func saturatingConversionNeverTraps() {
        #expect(Int(saturating: -9.3e18) == .min)
        #expect(Int(saturating: 9.3e18) == .max)
        #expect(Int(saturating: .infinity) == .max)
        #expect(Int(saturating: -.infinity) == .min)
        #expect(Int(saturating: .nan) == 0)
        #expect(Int(saturating: -2.9) == -2)
    }

    @Test func durationsFromAnyNumberNeverTrap() {
        let longest = Duration(secondsComponent: .max, attosecondsComponent: 0)
        for huge in [1e300, .greatestFiniteMagnitude, .infinity, 9.3e18] { #expect(Duration(secondsSaturating: huge) == longest) }
        #expect(Duration(secondsSaturating: -.infinity) == Duration(secondsComponent: .min, attosecondsComponent: 0))
        #expect(Duration(secondsSaturating: .nan) == .zero)
        #expect(Duration(secondsSaturating: 1.5) == .milliseconds(1500))
        #expect(Int(saturating: Duration(secondsSaturating: 1e300).seconds) == .max)
    }

    @Test(arguments: [#""\u+041""#, #""\u-000""#, #""\u 041""#, #""\u04""#, #""\u0x41""#])
    func unicodeEscapesTakeExactlyFourHexDigits(text: String) {
        #expect(throws: JSONParser.Failure.self) { try parse(text) }
    }

    @Test func unicodeEscapesStillRead() throws {
        #expect(try parse(#""\u0041\u00e9\uD83D\uDE00""#) == .string("Aé😀"))
    }

    @Test func memberNamesCompareByCodePoints() throws {
        // "café" in NFC (é is one scalar) and in NFD (e + combining acute): two names, not a duplicate.
        let value = try parse("{\"caf\u{E9}\":1,\"cafe\u{301}\":2}")
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.count == 2)
        #expect(value.value(at: "/caf\u{E9}") == .number(1))
        #expect(value.value(at: "/cafe\u{301}") == .number(2))
        #expect(throws: JSONParser.Failure.self) { try parse("{\"caf\u{E9}\":1,\"caf\u{E9}\":2}") }
        #expect(JSONValue.string("caf\u{E9}") != .string("cafe\u{301}"))
    }

    @Test func schemaLengthsAndEnumsUseCodePoints() throws {
        let schema = try JSONSchema.compile(json: #"{"enum": ["caf\u00e9"]}"#)
        #expect(throws: JSONSchema.Violation.self) { try schema.validate(.string("cafe\u{301}")) }
        #expect(throws: Never.self) { try schema.validate(.string("caf\u{E9}")) }
        // One grapheme cluster, two code points: maxLength 1 refuses it.
        let short = try JSONSchema.compile(json: #"{"maxLength": 1}"#)
        #expect(throws: JSONSchema.Violation.self) { try short.validate(.string("e\u{301}")) }
        #expect(throws: Never.self) { try short.validate(.string("\u{E9}")) }
    }

    @Test(arguments: [#"{"maxLength": 1e20}"#, #"{"minItems": -1}"#, #"{"maxItems": 1.5}"#, #"{"minLength": "3"}"#])
    func schemaBoundsMustBeNonNegativeIntegers(schema: String) {
        #expect(throws: JSONSchema.Violation.self) { try JSONSchema.compile(json: schema) }
    }

    @Test func numericKeysComeFromTheirText() throws {
        let a = try parse(#"{"id":9007199254740993}"#).value(at: "/id")?.keyText
        let b = try parse(#"{"id":9007199254740992}"#).value(at: "/id")?.keyText
        #expect(a == "9007199254740993" && b == "9007199254740992")
        let number = try parse(#"{"id":1}"#).value(at: "/id")?.keyText, text = try parse(#"{"id":"1"}"#).value(at: "/id")?.keyText
        #expect(number == "1" && number == text, "1 and \"1\" are the same key")
        #expect(try parse(#"{"id":1e400}"#).value(at: "/id")?.keyText == nil, "not finite")
        #expect(try parse(#"{"id":1e999}"#).value(at: "/id")?.keyText == nil, "not finite")
        let long = "1" + String(repeating: "0", count: 70)
        #expect(try parse("{\"id\":\(long)}").value(at: "/id")?.keyText == nil, "overlong")
    }

    @Test func integersOfAnySizeAreIntegers() throws {
        #expect(try parse("1.0").typeName == "integer")
        #expect(try parse("1e300").typeName == "integer")
        #expect(try parse("1.5").typeName == "number")
    }

    @Test func loopbackIsDecidedByTheParsedAddress() {
        for loopback in ["127.0.0.1:9090", "127.5.6.7:1", "[::1]:9090", "localhost:9090", "LOCALHOST:1"] {
            #expect(ListenAddress(parsing: loopback)?.isLoopback == true, "\(loopback)")
        }
        for other in ["127.attacker.example:9090", "127.0.0.1.nip.io:9090", "0.0.0.0:9090", "[::]:9090", "10.0.0.1:1",
                      "localhost.attacker.example:1", "[::2]:1"] {
            #expect(ListenAddress(parsing: other)?.isLoopback == false, "\(other)")
        }
    }

    @Test func typedAlternativeNames() {
        #expect(SubjectAlternativeName(allowed: "cognigy.example") == SubjectAlternativeName(.dns, "cognigy.example"))
        #expect(SubjectAlternativeName(allowed: "10.0.0.1") == SubjectAlternativeName(.ip, "10.0.0.1"))
        #expect(SubjectAlternativeName(allowed: "email:bot@example.com") == SubjectAlternativeName(.email, "bot@example.com"))
        #expect(SubjectAlternativeName(allowed: "ip:::1") == SubjectAlternativeName(.ip, IPAddress("::1")!.description))
        #expect(SubjectAlternativeName(allowed: "ip:nope") == nil)
        #expect(SubjectAlternativeName(allowed: "x400:thing") == nil)
        let dns = SubjectAlternativeName(.dns, "cognigy.example")
        #expect(!dns.matches(SubjectAlternativeName(.email, "cognigy.example")))
        #expect(!dns.matches(SubjectAlternativeName(.uri, "cognigy.example")))
        #expect(dns.matches(SubjectAlternativeName(.dns, "Cognigy.Example")))
    }

    @Test func countsAgreeWithTheirNouns() {
        #expect(counted(1, "source") == "1 source")
        #expect(counted(0, "attempt") == "0 attempts")
        #expect(counted(3, "attempt") == "3 attempts")
        #expect(counted(1, "delivery", plural: "deliveries") == "1 delivery")
        #expect(counted(2, "delivery", plural: "deliveries") == "2 deliveries")
    }
}
