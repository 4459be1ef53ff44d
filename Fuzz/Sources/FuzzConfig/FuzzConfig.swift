import FuzzSupport
import PosternCore
import PosternServer

/// The YAML configuration loader, all of it: parsing, aliases, `${NAME}` substitution, every key's decoding and
/// every source's verifier. It must answer in bounded time (`scripts/fuzz` runs it with a timeout) and never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    _ = try? ConfigFile.load(text: text, baseDirectory: "/nonexistent", environment: ["SECRET": "s3cr3t"])
    return 0
}
