import PosternCore

/// The checks on a request before its body is read, in order: a source at the path, POST, the client certificate,
/// the caller's address, a caller that keeps sending refused requests, a declared body over the limit. Pure over the
/// request head, so the fuzzer drives it from an embedded channel.
public struct RequestGuards: Sendable {
    /// What the guards say.
    public enum Admission: Sendable {
        case admitted(Source)
        /// Refused; the source when the path named one, for the audit line.
        case refused(Refusal, source: Source?)
    }

    public let sources: SourceTable
    public let rateLimiter: RateLimiter

    public init(sources: SourceTable, rateLimiter: RateLimiter) {
        self.sources = sources
        self.rateLimiter = rateLimiter
    }

    public func check(path: String, method: String, caller: IPAddress?, identity: ClientIdentity?,
                      contentLength: String?) -> Admission {
        guard let source = sources.source(path: path) else {
            return .refused(Refusal(.unknownSource, "no source is configured at \(path)"), source: nil)
        }
        guard method == "POST" else {
            return .refused(Refusal(.methodNotAllowed, "sources accept POST only"), source: source)
        }
        if let refusal = source.checkClient(identity) { return .refused(refusal, source: source) }
        guard source.allows(caller) else {
            return .refused(Refusal(.ipNotAllowed, "the caller's address is not in this source's allowIPs"), source: source)
        }
        if let refusal = rateLimiter.throttled(source.name, caller: caller) { return .refused(refusal, source: source) }
        if let declared = contentLength.flatMap(Int.init), declared > source.maxBodyBytes {
            return .refused(Self.tooLarge(source), source: source)
        }
        return .admitted(source)
    }

    /// The refusal of a body over the source's limit, by Content-Length or counted while reading.
    static func tooLarge(_ source: Source) -> Refusal {
        Refusal(.bodyTooLarge, "the body is larger than this source's limit of \(source.maxBodyBytes) bytes")
    }
}
