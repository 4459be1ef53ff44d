import Foundation
import FuzzSupport
import PosternCore
import PosternVerify

/// The fixed clock every input is verified at (the seeds are signed at it): 2026-11-25T10:00:00Z.
let now = Date(timeIntervalSince1970: 1_764_064_800)
/// A secret every HMAC preset takes: Standard Webhooks reads it as base64 after `whsec_`, the others as text.
let secret = "whsec_cG9zdGVybi1mdXp6LWhtYWMta2V5LTMyLWJ5dGVzIQ=="

/// Every HMAC preset, built as a source would build it, with its descriptor for signing.
let verifiers: [(verifier: SourceVerifier, descriptor: HMACDescriptor)] = Preset.catalog.compactMap { preset in
    guard case .hmac(let descriptor) = preset.method else { return nil }
    let node = ConfigNode(.map(["preset": .string(preset.name), "secrets": .list([.string(secret)])]))
    return (SourceVerifier(try! VerifyConfig(node)), descriptor)
}

/// One input is a request in the seed form (`POST /path HTTP/1.1`, header lines, a blank line, the body): its
/// signature and timestamp headers go through every HMAC preset's verifier, and its body, signed by each preset's
/// signer at the fixed time, must verify.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let request = parseRequest(fuzzBytes(data, size))
    for (source, descriptor) in verifiers {
        _ = source.verifier.verify(request, now: now)
        let key = descriptor.keyBytes(for: secret)!
        var signed = WebhookRequest(method: "POST", path: "/", query: nil, headers: RequestHeaders(), body: request.body)
        for header in HMACSigner(descriptor: descriptor).headers(body: request.body, keyBytes: key, timestamp: now, id: "msg_fuzz") {
            signed.headers.append(header.name, header.value)
        }
        guard case .verified = source.verifier.verify(signed, now: now) else {
            fatalError("property broken: \(source.presetName) verifies what its signer signs")
        }
    }
    return 0
}
