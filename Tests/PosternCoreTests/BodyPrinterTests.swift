import PosternCore
import Testing

/// Bodies laid out for reading: JSON indented, form fields one per line, XML one element per line.
struct BodyPrinterTests {
    @Test func jsonFormAndXML() {
        #expect(BodyPrinter.pretty(Array(#"{"b":1,"a":[true]}"#.utf8), contentType: "application/json") ==
            "{\n  \"a\" : [\n    true\n  ],\n  \"b\" : 1\n}")
        #expect(BodyPrinter.pretty(Array("To=%2B15551234&Body=hi+there&Body=again".utf8),
                                   contentType: "application/x-www-form-urlencoded; charset=utf-8") ==
            "Body = hi there\nBody = again\nTo = +15551234")
        let xml = #"<?xml version="1.0"?><Response><Say voice="a>b">Hello</Say><!-- c<d --><Hangup/></Response>"#
        #expect(BodyPrinter.pretty(Array(xml.utf8), contentType: "text/xml") ==
            "<?xml version=\"1.0\"?>\n<Response>\n  <Say voice=\"a>b\">Hello</Say>\n  <!-- c<d -->\n  <Hangup/>\n</Response>")
        #expect(BodyPrinter.pretty(Array("plain".utf8), contentType: "text/plain") == "plain")
        #expect(BodyPrinter.pretty([0xFF, 0xFE], contentType: nil) == nil)
    }
}
