import FuzzSupport
import PosternCore

/// The XML well-formedness check: it never traps or runs away on any bytes, and a document it accepts is refused
/// once a DTD is put before it, or once its last `>` is cut off.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard (try? XMLBody.check(bytes)) != nil else { return 0 }
    require((try? XMLBody.check(Array("<!DOCTYPE r [<!ENTITY e \"e\">]>".utf8) + bytes)) == nil, "a document type declaration is refused")
    var cut = bytes
    while let last = cut.last, last == 0x20 || last == 0x09 || last == 0x0A || last == 0x0D { cut.removeLast() }
    require(cut.last == UInt8(ascii: ">"), "a document ends with > and white space")
    cut.removeLast()
    require((try? XMLBody.check(cut)) == nil, "a document without its last > is refused")
    return 0
}
