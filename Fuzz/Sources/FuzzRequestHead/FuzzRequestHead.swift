import Foundation
import FuzzSupport
import NIOCore
import NIOEmbedded
import NIOHTTP1
import PosternCore
import PosternServer

/// Sources with every guard: an address allowlist, a rate limit, a required client certificate, a body limit, a schema.
let configuration = """
    trustedProxies: [127.0.0.1]
    sources:
      - {name: orders, path: /orders, verify: {preset: bearer, secrets: [fuzz-token]}, idempotencyKey: body:/id,
         rateLimit: {perSecond: 5, burst: 5}, limits: {maxBodyBytes: 512}}
      - {name: office, path: /office, verify: {preset: none}, allowIPs: [10.0.0.0/8, "2001:db8::/32"]}
      - {name: mtls, path: /mtls, verify: {preset: none}, clientCert: required}
      - {name: flow, path: /flow, verify: {preset: cognigy-webhook, secrets: [fuzz-secret]}, schema: cognigy-flow-event}
      - {name: gh, path: /gh, verify: {preset: github, secrets: [fuzz-secret]}}
    """
let plan = try! ConfigFile.load(text: configuration, baseDirectory: "/", environment: [:])
let sources = plan.sources
let guards = RequestGuards(sources: sources, rateLimiter: RateLimiter(sources: sources.sources, elapsed: { .zero }))
let callers = CallerResolver(trustedProxies: plan.config.trustedProxies)
let peer = IPAddress("127.0.0.1")!
let now = Date(timeIntervalSince1970: 1_764_064_800)

/// Raw bytes as a client sends them, through NIO's HTTP/1 decoder in an embedded channel, then through the guards
/// and, for an admitted request, the intake's checks: signature, JSON, schema, idempotency key.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
    defer { _ = try? channel.finish() }
    var buffer = channel.allocator.buffer(capacity: size)
    buffer.writeBytes(UnsafeBufferPointer(start: data, count: size))
    _ = try? channel.writeInbound(buffer)
    var head: HTTPRequestHead?
    var body: [UInt8] = []
    while let part = try? channel.readInbound(as: HTTPServerRequestPart.self) {
        switch part {
        case .head(let received):
            head = received
            body = []
        case .body(let bytes):
            body += bytes.readableBytesView
        case .end:
            if let head { check(head, body: body) }
            head = nil
        }
    }
    return 0
}

func check(_ head: HTTPRequestHead, body: [UInt8]) {
    let target = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    let path = target.first.map(String.init) ?? ""
    let caller = callers.caller(peer: peer, forwardedFor: head.headers["X-Forwarded-For"])
    let admission = guards.check(path: path, method: head.method.rawValue, caller: caller, identity: nil,
                                 contentLength: head.headers.first(name: "content-length"))
    guard case .admitted(let source) = admission else { return }
    require(source.config.path == path && head.method == .POST, "only a POST to a source's own path is admitted")
    var headers = RequestHeaders()
    for (name, value) in head.headers { headers.append(name, value) }
    let request = WebhookRequest(method: head.method.rawValue, path: path, query: target.count > 1 ? String(target[1]) : nil,
                                 headers: headers, body: body)
    _ = Intake.check(source, request, now: now)
}
