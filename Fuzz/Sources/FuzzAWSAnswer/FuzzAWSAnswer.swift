import FuzzSupport
import PosternCore

/// The AWS answer reader, on whatever a service (or something posing as one) sends: it never traps, a 2xx names an
/// error only for a failed PutEvents entry, a 5xx's error is always retryable, and a named code is never empty.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let header = String(decoding: bytes.prefix(40), as: UTF8.self)
    for status in [200, 400, 503] {
        guard let error = AWSAnswer.error(status: status, body: bytes, errorTypeHeader: status == 400 ? header : nil) else { continue }
        require(!error.code.isEmpty, "a named error has a code")
        if status == 503 { require(error.retryable, "a 5xx is retried") }
        if status == 200 {
            require((try? JSONParser.parse(bytes))?.value(at: "/FailedEntryCount") != nil, "a 2xx names an error only for a failed entry")
        }
    }
    return 0
}
