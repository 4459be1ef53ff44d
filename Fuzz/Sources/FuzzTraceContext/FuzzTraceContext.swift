import FuzzSupport
import W3CTraceContext

/// A caller's `traceparent` and `tracestate` (split at the first NUL byte), as swift-otel's propagator reads them on
/// every request when tracing is on: nothing may trap, and a context that parses writes a `traceparent` that parses
/// back to the same ids.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let parent = String(decoding: bytes[..<split], as: UTF8.self)
    let state = split < bytes.endIndex ? String(decoding: bytes[(split + 1)...], as: UTF8.self) : nil
    guard let context = try? TraceContext(traceParentHeaderValue: parent, traceStateHeaderValue: state) else { return 0 }
    let again = try? TraceContext(traceParentHeaderValue: context.traceParentHeaderValue)
    require(again?.traceID == context.traceID && again?.spanID == context.spanID, "a parsed traceparent writes back the same ids")
    return 0
}
