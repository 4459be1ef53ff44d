import PosternCore
import Testing

/// The event-stream reader: events split across pieces anywhere, the three line endings, comments, multi-line
/// data, the last id carried on, and a bound on a line's length.
struct ServerSentEventsTests {
    @Test func eventsArriveWhateverThePieces() throws {
        let stream = "retry: 2000\r\n: keep-alive\n\nid: 1-1\nevent: decision\ndata: {\"a\":1}\n\ndata: one\rdata:two\r\n\r\nid: 1-3\ndata\n\n"
        let bytes = Array(stream.utf8)
        for size in [1, 2, 3, 7, bytes.count] {
            var reader = ServerSentEvents()
            var events: [ServerSentEvents.Event] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                events += try reader.feed(bytes[start..<min(start + size, bytes.count)])
            }
            #expect(events == [
                .init(id: "1-1", event: "decision", data: "{\"a\":1}"),
                .init(id: "1-1", event: "message", data: "one\ntwo"),
                .init(id: "1-3", event: "message", data: ""),
            ], "pieces of \(size)")
            #expect(reader.lastEventID == "1-3")
        }
    }

    @Test func anEventWithoutDataIsNotDispatchedAndALongLineIsRefused() throws {
        var reader = ServerSentEvents(maxLineBytes: 12)
        #expect(try reader.feed(Array("event: gap\n\nid: 5\n\n".utf8)).isEmpty)
        #expect(reader.lastEventID == "5")
        #expect(throws: ServerSentEvents.LineTooLong.self) { try reader.feed(Array("data: 0123456789\n".utf8)) }
    }
}
