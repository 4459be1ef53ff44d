import Foundation
import PosternCore
import PosternVerify

/// A configured source, ready to take requests: its verifier, schema, key rule and limits.
public struct Source: Sendable {
    public let config: SourceConfig
    public let verifier: SourceVerifier
    public let schema: JSONSchema?
    public let idempotencyKey: IdempotencyKeyRule
    public let maxBodyBytes: Int
    public let rateLimit: RateLimit?
    /// The headers stored with this source's events (lower-case names).
    let keptHeaderNames: Set<String>
    /// The destinations each event gets an outbox row for.
    let queuedDestinations: [String]

    public var name: String { config.name }

    /// The received headers worth keeping with an event of this source.
    func keptHeaders(_ headers: RequestHeaders) -> [(name: String, value: String)] {
        zip(headers.names, headers.fields).filter { keptHeaderNames.contains($0.0) }.map(\.1)
    }

    /// Refuses a connection without the client certificate this source requires, or with one it does not allow.
    public func checkClient(_ identity: ClientIdentity?) -> Refusal? {
        guard config.requiresClientCertificate else { return nil }
        guard let identity else {
            return Refusal(.clientCertRequired, "this source requires a client certificate (a TLS listener with clientCA)")
        }
        let matchesByName = !config.allowedSubjects.isEmpty || !config.allowedSANs.isEmpty
        if matchesByName, let ambiguity = identity.ambiguity {
            return Refusal(.clientCertNotAllowed, "\(ambiguity) (subject \"\(identity.subject)\")")
        }
        if !config.allowedSubjects.isEmpty, !identity.matchesSubject(in: config.allowedSubjects) {
            return Refusal(.clientCertNotAllowed, "the client certificate's subject \"\(identity.subject)\" is not in allowedSubjects")
        }
        if !config.allowedSANs.isEmpty, !identity.matchesAlternativeName(in: config.allowedSANs) {
            let seen = identity.alternativeNames.map(\.description).joined(separator: ", ")
            return Refusal(.clientCertNotAllowed,
                "none of the client certificate's alternative names (\(seen.isEmpty ? "none" : seen)) is in allowedSANs; subject \"\(identity.subject)\"")
        }
        return nil
    }

    /// Whether the caller may use this source: every address when `allowIPs` is empty.
    public func allows(_ caller: IPAddress?) -> Bool {
        guard !config.allowIPs.isEmpty else { return true }
        guard let caller else { return false }
        return config.allowIPs.contains { $0.contains(caller) }
    }

    /// Builds the source; throws every problem with its key path (`sources[2].schema`, ...).
    init(_ config: SourceConfig, path: String, limits: Limits) throws(ConfigProblems) {
        var problems: [ConfigProblem] = []
        var built: SourceVerifier?
        do {
            built = try SourceVerifier(config.verify)
        } catch {
            problems += error.problems
        }
        let schema = Self.loadSchema(config.schema, path: "\(path).schema", &problems)
        guard let verifier = built, problems.isEmpty else { throw ConfigProblems(problems) }

        // A fulfillment caller's requestId identifies its request (the tutorial's duplicate check).
        let rule = config.idempotencyKey ?? (config.mode == .fulfillment ? .body(pointer: "/requestId") : nil)
            ?? verifier.defaultIdempotencyKey ?? (verifier.isSignature ? .signature : .bodyDigest)
        if rule == .signature, !verifier.isSignature {
            throw ConfigProblems([ConfigProblem("\(path).idempotencyKey", "signature needs a signing verifier (HMAC or SigV4); use body:<pointer>, header:<name> or sha256")])
        }
        self.config = config
        self.verifier = verifier
        self.schema = schema
        self.idempotencyKey = rule
        self.maxBodyBytes = config.maxBodyBytes ?? verifier.defaultMaxBodyBytes ?? limits.maxBodyBytes
        self.rateLimit = config.rateLimit ?? verifier.defaultRateLimit
        self.keptHeaderNames = Intake.keptHeaderNames(verifier, idempotencyKey: rule)
        self.queuedDestinations = config.queuedDestinations
    }

    /// The problems building this source would meet, for checking a configuration before it is used.
    static func problems(in config: SourceConfig, path: String) -> [ConfigProblem] {
        do {
            _ = try Source(config, path: path, limits: Limits())
            return []
        } catch {
            return error.problems
        }
    }

    private static func loadSchema(_ name: String?, path: String, _ problems: inout [ConfigProblem]) -> JSONSchema? {
        guard let name else { return nil }
        let text: String
        if let builtIn = BuiltInSchemas.byName[name] {
            text = builtIn
        } else if name.hasSuffix(".json"), let file = try? String(contentsOfFile: name, encoding: .utf8) {
            text = file
        } else {
            let known = BuiltInSchemas.byName.keys.sorted().joined(separator: ", ")
            problems.append(ConfigProblem(path, "\"\(name)\" is neither a built-in schema (\(known)) nor a readable .json file"))
            return nil
        }
        do {
            return try JSONSchema.compile(json: text)
        } catch {
            problems.append(ConfigProblem(path, "invalid schema at \(error.pointer.isEmpty ? "/" : error.pointer): \(error.message)"))
            return nil
        }
    }
}
