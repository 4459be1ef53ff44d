import PosternCore
import Testing

/// The body kinds a source can take: forms read into fields, XML checked without ever reading a DTD, raw bytes as
/// they are, and each refusal with its own reason.
struct BodyKindTests {
    func form(_ text: String) throws -> JSONValue { try FormBody.parse(Array(text.utf8)) }
    func xmlRoot(_ text: String) throws -> String { try XMLBody.check(Array(text.utf8)) }

    @Test func aFormIsReadIntoStringsWithRepeatedFieldsAsArrays() throws {
        #expect(try form("sessionId=s-1&text=Hello+world%21&tag=a&tag=b&empty=&flag&&") == .object([
            "sessionId": .string("s-1"), "text": .string("Hello world!"), "tag": .array([.string("a"), .string("b")]),
            "empty": .string(""), "flag": .string(""),
        ]))
        #expect(try form("name=%C3%A9t%C3%A9&a%5Bb%5D=1%2B1") == .object(["name": .string("été"), "a[b]": .string("1+1")]))
        #expect(try form("") == .object([:]))
        #expect(try form("a=1=2") == .object(["a": .string("1=2")]))
    }

    @Test(arguments: ["a=%", "a=%4", "a=%G1", "%zz=1", "a=%FF", "a=%C3"])
    func aFormWithABadEscapeOrBytesThatAreNotUTF8IsRefused(_ text: String) {
        #expect(throws: FormBody.Failure.self) { try form(text) }
    }

    @Test func wellFormedXMLIsAcceptedWithItsRootElement() throws {
        #expect(try xmlRoot(#"""
            <?xml version="1.0" encoding="utf-8"?>
            <!-- before --><?app data?>
            <event type="Page_Create" id='3f1c'><page href="a?b=1&amp;c=2">Hello &lt;world&gt; &#x41;&#65;<![CDATA[<raw>]]></page><e/></event>
            <!-- after -->
            """#) == "event")
        #expect(try xmlRoot("\u{FEFF}<r:a xmlns:r=\"urn:x\">été</r:a>") == "r:a")
    }

    @Test(arguments: [
        "", "text", "<a>", "<a></b>", "<a><b></a></b>", "<a/><b/>", "<a x=1/>", "<a x='1' x='2'/>", "<a x='<'/>",
        "<a>&nbsp;</a>", "<a>&#0;</a>", "<a>&#xD800;</a>", "<a>]]></a>", "<a><!-- -- --></a>", "<a><![CDATA[x</a>",
        "<a>\u{1}</a>", "<?xml version='1.0' encoding='ISO-8859-1'?><a/>", "<a/><?xml version='1.0'?>", "<1a/>",
    ])
    func malformedXMLIsRefused(_ text: String) {
        #expect(throws: XMLBody.Failure.self) { try xmlRoot(text) }
    }

    @Test func aDTDIsRefusedBeforeAnyEntityIsRead() {
        let billionLaughs = """
            <?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><lolz>&lol2;</lolz>
            """
        let external = #"<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>"#
        for text in [billionLaughs, external, "<a><!ENTITY x 'y'></a>"] {
            #expect(throws: XMLBody.Failure.self) { try xmlRoot(text) }
        }
        #expect((try? BodyKind.xml.read(Array(external.utf8))) == nil)
    }

    @Test func nestingIsBounded() throws {
        let deep = String(repeating: "<a>", count: 65) + String(repeating: "</a>", count: 65)
        #expect(throws: XMLBody.Failure.self) { try xmlRoot(deep) }
        let allowed = String(repeating: "<a>", count: 64) + String(repeating: "</a>", count: 64)
        #expect(try xmlRoot(allowed) == "a")
    }

    @Test func eachKindRefusesWithItsOwnReason() {
        func reason(_ kind: BodyKind, _ text: String) -> ReasonCode? {
            do {
                _ = try kind.read(Array(text.utf8))
                return nil
            } catch {
                return error.reason
            }
        }
        #expect(reason(.json, "{nope") == .malformedJSON)
        #expect(reason(.form, "a=%") == .malformedForm)
        #expect(reason(.xml, "<a>") == .malformedXML)
        #expect(reason(.raw, "\u{0}{nope<a>%") == nil)
        #expect(ReasonCode.malformedForm.status == 400 && ReasonCode.malformedXML.status == 400)
        #expect((try? BodyKind.form.read(Array("a=1".utf8))) == .object(["a": .string("1")]))
        #expect((try? BodyKind.xml.read(Array("<a/>".utf8))) == .some(nil))
    }
}
