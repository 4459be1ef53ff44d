import FuzzSupport
import PosternCore

/// A `text/event-stream`, as `postern tail` and `postern forward` read the admin API's decision stream: nothing may
/// trap, and the events do not depend on how the bytes were split (fed whole, and fed at a cut the first byte picks).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let first = bytes.first else { return 0 }
    var whole = ServerSentEvents(maxLineBytes: 256)
    var split = ServerSentEvents(maxLineBytes: 256)
    let cut = Int(first) % bytes.count
    let all = try? whole.feed(bytes)
    var pieces: [ServerSentEvents.Event]? = try? split.feed(bytes[..<cut])
    if let head = pieces { pieces = (try? split.feed(bytes[cut...])).map { head + $0 } }
    require(all == pieces, "the events do not depend on where the stream was split")
    require(whole.lastEventID == split.lastEventID || all == nil, "the last id does not either")
    return 0
}
