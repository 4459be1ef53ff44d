import FuzzSupport
import PosternCore

/// The proxies every input's forwarded-for chain is read against, as `trustedProxies` would list them.
let resolver = CallerResolver(trustedProxies: ["127.0.0.0/8", "10.0.0.0/8", "::1", "fd00::/8"].compactMap { CIDR($0) })
let proxy = IPAddress("127.0.0.1")!

/// Addresses, CIDR ranges and X-Forwarded-For chains: the first line is read as an address and a range, the whole
/// input as the values of X-Forwarded-For behind a trusted proxy. What parses prints back to the same address, and
/// the caller found is the proxy or an address that was in the chain.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if let address = IPAddress(lines[0]) {
        require(IPAddress(address.description) == address, "an address prints back to itself")
    }
    if let range = CIDR(lines[0]) {
        require(range.contains(range.network), "a range holds its own network address")
    }
    let caller = resolver.caller(peer: proxy, forwardedFor: lines)
    let hops = Set(lines.flatMap { $0.split(separator: ",") }.compactMap { IPAddress($0.trimmingSpaces) })
    require(caller == proxy || caller.map(hops.contains) == true, "the caller is the proxy or a hop of the chain")
    return 0
}
