import Foundation

/// The `sources` section: each source, its verification, schema, keys, limits and answers.
extension GatewayConfig {
    static let sourceKeys: Set<String> = [
        "name", "path", "verify", "body", "schema", "formatAssertion", "idempotencyKey", "onDuplicate", "limits", "allowIPs", "rateLimit",
        "clientCert", "allowedSubjects", "allowedSANs", "destinations", "mode", "respond", "answer",
    ]

    static func decodeSources(_ node: ConfigNode, baseDirectory: String, limits: Limits,
                              _ problems: inout [ConfigProblem]) -> [(node: ConfigNode, source: SourceConfig)] {
        let elements = node.elements(&problems)
        if elements.isEmpty {
            problems.append(ConfigProblem(node.path, "at least one source is required"))
        }
        let decoded = elements.compactMap { node in
            decodeSource(node, baseDirectory: baseDirectory, limits: limits, &problems).map { (node: node, source: $0) }
        }
        reportRepeats(decoded.map { ($0.node["name"].path, $0.source.name) }, &problems)
        reportRepeats(decoded.map { ($0.node["path"].path, $0.source.path) }, &problems)
        return decoded
    }

    static func decodeSource(_ node: ConfigNode, baseDirectory: String, limits: Limits, _ problems: inout [ConfigProblem]) -> SourceConfig? {
        node.rejectUnknownKeys(sourceKeys, &problems)
        let name = node["name"].requiredString(&problems)
        let path = node["path"].requiredString(&problems)
        if let path, !path.hasPrefix("/") {
            problems.append(ConfigProblem(node["path"].path, "must start with /"))
        }
        let verify = VerifyConfig.decode(node["verify"], source: name ?? "source", baseDirectory: baseDirectory, &problems)
        let body = node["body"].choice(default: verify?.preset.body ?? .json, &problems)
        let assertsFormats = node["formatAssertion"].bool(default: false, &problems)
        let schema = node["schema"].isPresent ? decodeSchema(node["schema"], baseDirectory: baseDirectory, assertsFormats: assertsFormats, &problems)
            : verify?.preset.schema.flatMap { BuiltInSchemas.byName[$0] }.flatMap { try? JSONSchema.compile(json: $0, assertsFormats: assertsFormats) }
        let configuredKey = decodeIdempotencyKey(node["idempotencyKey"], &problems)
        let mode = decodeMode(node["mode"], &problems)
        // A fulfillment caller retrying the same requestId is told so (as Cognigy's tutorial does), unless configured.
        let configuredDuplicateAnswer = decodeDuplicateAnswer(node["onDuplicate"], &problems)
        let successStatuses = verify?.preset.successStatuses
        // A sender that takes only 2xx as success (Genesys Open Messaging, jambonz) is never answered 409.
        let onDuplicate = configuredDuplicateAnswer ?? (mode == .fulfillment && successStatuses == nil ? .conflict : .ok)
        if configuredDuplicateAnswer == .conflict, let successStatuses, let preset = verify?.preset {
            problems.append(ConfigProblem(node["onDuplicate"].path,
                "must not be 409 for \(preset.name): it takes only \(successStatuses.map(String.init).joined(separator: ", ")) as success, and another answer breaks the conversation"))
        }
        if mode == .ingest, node["respond"].isPresent {
            problems.append(ConfigProblem(node["respond"].path, "is only for sources with mode: fulfillment"))
        }
        let respond = mode == .fulfillment ? decodeRespond(node["respond"], &problems) : nil
        if mode == .fulfillment, node["answer"].isPresent {
            problems.append(ConfigProblem(node["answer"].path, "is for store-and-forward sources; a fulfillment source answers with respond"))
        }
        let answer = mode == .ingest ? decodeAnswer(node["answer"], body: body, schema: schema, &problems) : nil
        if let answer, let successStatuses, !successStatuses.contains(answer.status), let preset = verify?.preset {
            problems.append(ConfigProblem(node["answer"]["status"].path,
                "must be one of \(successStatuses.map(String.init).joined(separator: ", ")) for \(preset.name), the only statuses it takes as success"))
        }
        let (destinations, routes) = decodeDestinationEntries(node["destinations"], body: body, &problems)
        reportRepeats(destinations.enumerated().map { ("\(node["destinations"].path)[\($0)]", $1) }, &problems)
        node["limits"].rejectUnknownKeys(["maxBodyBytes"], &problems)
        let maxBodyBytes = node["limits"]["maxBodyBytes"].integer(&problems, in: ConfigRange.bodyBytes)

        let allowIPs = decodeCIDRs(node["allowIPs"], &problems)
        let rateLimit = decodeRateLimit(node["rateLimit"], &problems)
        let clientCert = node["clientCert"].string(&problems) ?? "optional"
        if !["optional", "required"].contains(clientCert) {
            problems.append(ConfigProblem(node["clientCert"].path, "must be required or optional"))
        }
        let allowedSubjects = node["allowedSubjects"].strings(&problems)
        let allowedSANs = decodeAlternativeNames(node["allowedSANs"], &problems)

        guard let name, let path, let verify else { return nil }
        // A fulfillment caller's requestId identifies its request (the tutorial's duplicate check).
        let idempotencyKey = configuredKey ?? (mode == .fulfillment ? .body(pointer: "/requestId") : nil)
            ?? verify.preset.idempotencyKey ?? (verify.isSignature ? .signature : .bodyDigest)
        if idempotencyKey == .signature, !verify.isSignature {
            problems.append(ConfigProblem(node["idempotencyKey"].path,
                "signature needs a signing verifier (HMAC or SigV4); use body:<pointer>, header:<name>, sha256 or none"))
        }
        if idempotencyKey == .unkeyed, configuredDuplicateAnswer != nil {
            problems.append(ConfigProblem(node["onDuplicate"].path, "has no duplicates to answer: idempotencyKey is none"))
        }
        if !body.hasFields {
            if node["schema"].isPresent {
                problems.append(ConfigProblem(node["schema"].path, "needs a body with fields (json or form), not \(body.rawValue)"))
            }
            if case .body(let pointer) = idempotencyKey {
                problems.append(ConfigProblem(node["idempotencyKey"].path,
                    "body:\(pointer) needs a body with fields (json or form), not \(body.rawValue); use header:<name>, sha256 or none"))
            }
        }
        return SourceConfig(name: name, path: path, verify: verify, body: body, schema: schema, idempotencyKey: idempotencyKey,
                            onDuplicate: onDuplicate,
                            maxBodyBytes: maxBodyBytes ?? verify.preset.maxBodyBytes ?? limits.maxBodyBytes,
                            allowIPs: allowIPs, rateLimit: rateLimit ?? verify.preset.rateLimit,
                            requiresClientCertificate: clientCert == "required" || !allowedSubjects.isEmpty || !allowedSANs.isEmpty,
                            allowedSubjects: allowedSubjects, allowedSANs: allowedSANs,
                            destinations: destinations, routes: routes, mode: mode, respond: respond, answer: answer)
    }

    /// The names of a source's `destinations` entries without a `when:` (their filters are left unread).
    static func unfilteredDestinationNames(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [String] {
        if case .string? = node.value { return node.strings(&problems) }
        return node.elements(&problems).compactMap { entry in
            guard case .map? = entry.value else { return entry.requiredString(&problems) }
            return entry["when"].isPresent ? nil : entry["to"].requiredString(&problems)
        }
    }

    /// `destinations: [crm, {to: genesys, when: {...}}]`: each entry a destination's name, or its name with a filter.
    static func decodeDestinationEntries(_ node: ConfigNode, body: BodyKind,
                                         _ problems: inout [ConfigProblem]) -> ([String], [String: RouteFilter]) {
        if case .string? = node.value { return (node.strings(&problems), [:]) }
        var names: [String] = []
        var routes: [String: RouteFilter] = [:]
        for entry in node.elements(&problems) {
            guard case .map? = entry.value else {
                if let name = entry.requiredString(&problems) { names.append(name) }
                continue
            }
            entry.rejectUnknownKeys(["to", "when"], &problems)
            guard let name = entry["to"].requiredString(&problems) else { continue }
            names.append(name)
            guard entry["when"].isPresent, let filter = RouteFilter.decode(entry["when"], &problems) else { continue }
            if filter.readsBody, body != .json, body != .form {
                problems.append(ConfigProblem(entry["when"].path,
                    "body fields need a body with fields (json or form), not \(body.rawValue); use header:<name>"))
            }
            routes[name] = filter
        }
        return (names, routes)
    }

    /// A built-in schema name or a JSON Schema file path, compiled.
    static func decodeSchema(_ node: ConfigNode, baseDirectory: String, assertsFormats: Bool = false,
                             _ problems: inout [ConfigProblem]) -> JSONSchema? {
        guard let written = node.string(&problems) else { return nil }
        let name = written.hasSuffix(".json") ? resolve(written, against: baseDirectory) : written
        let text: String
        if let builtIn = BuiltInSchemas.byName[name] {
            text = builtIn
        } else if name.hasSuffix(".json"), let file = try? String(contentsOfFile: name, encoding: .utf8) {
            text = file
        } else {
            let known = BuiltInSchemas.byName.keys.sorted().joined(separator: ", ")
            problems.append(ConfigProblem(node.path, "\"\(name)\" is neither a built-in schema (\(known)) nor a readable .json file"))
            return nil
        }
        do {
            return try JSONSchema.compile(json: text, assertsFormats: assertsFormats)
        } catch {
            problems.append(ConfigProblem(node.path, "invalid schema at \(error.pointer.isEmpty ? "/" : error.pointer): \(error.message)"))
            return nil
        }
    }

    static func decodeIdempotencyKey(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> IdempotencyKeyRule? {
        guard let text = node.string(&problems) else { return nil }
        guard let rule = IdempotencyKeyRule(parsing: text) else {
            problems.append(ConfigProblem(node.path,
                "must be body:<JSON pointer>, header:<name>, signature, sha256 or none, found \"\(text)\""))
            return nil
        }
        return rule
    }

    static func decodeDuplicateAnswer(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> DuplicateAnswer? {
        guard let code = node.int(&problems) else { return nil }
        guard let answer = DuplicateAnswer(rawValue: code) else {
            problems.append(ConfigProblem(node.path, "must be 200 or 409"))
            return nil
        }
        return answer
    }

    static func decodeMode(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> SourceMode {
        guard let text = node.string(&problems) else { return .ingest }
        guard let mode = SourceMode(rawValue: text) else {
            problems.append(ConfigProblem(node.path, "must be ingest or fulfillment"))
            return .ingest
        }
        return mode
    }

    static func decodeRateLimit(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> RateLimit? {
        guard node.isPresent else { return nil }
        node.rejectUnknownKeys(["perSecond", "burst"], &problems)
        guard node["perSecond"].isPresent else {
            problems.append(ConfigProblem(node["perSecond"].path, "is required: requests per second"))
            return nil
        }
        guard let perSecond = node["perSecond"].number(&problems, in: ConfigRange.perSecond, described: "requests per second") else {
            return nil
        }
        // Without a burst, one second's worth of requests may arrive at once.
        let burst = node["burst"].isPresent ? node["burst"].integer(&problems, in: ConfigRange.burst) : max(1, Int(perSecond.rounded(.up)))
        guard let burst else { return nil }
        return RateLimit(perSecond: perSecond, burst: burst)
    }

    static func decodeAlternativeNames(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [SubjectAlternativeName] {
        decodeList(node, &problems, expected: "dns:NAME, uri:URI, email:ADDRESS, ip:ADDRESS, or a bare DNS name or IP address",
                   SubjectAlternativeName.init(allowed:))
    }

    /// The statuses an answer may have: success without a redirect, and nothing a caller could read as a retry.
    static let answerStatuses = [200, 201, 202, 204]

    static func decodeAnswer(_ node: ConfigNode, body: BodyKind, schema: JSONSchema?, _ problems: inout [ConfigProblem]) -> AnswerConfig? {
        guard node.isPresent else { return nil }
        node.rejectUnknownKeys(["status", "contentType", "body"], &problems)
        let status = node["status"].int(&problems) ?? 200
        if !answerStatuses.contains(status) {
            problems.append(ConfigProblem(node["status"].path, "must be one of 200, 201, 202, 204"))
        }
        let contentType = node["contentType"].string(&problems) ?? "application/json"
        let text = node["body"].string(&problems) ?? ""
        if status == 204, !text.isEmpty {
            problems.append(ConfigProblem(node["body"].path, "must be empty with status 204 (No Content)"))
        }
        let template: AnswerTemplate
        do {
            template = try AnswerTemplate(parsing: text)
        } catch {
            problems.append(ConfigProblem(node["body"].path, error.message))
            return nil
        }
        for pointer in template.pointers {
            if !body.hasFields {
                problems.append(ConfigProblem(node["body"].path, "{{body:\(pointer)}} needs a body with fields (json or form), not \(body.rawValue)"))
            } else if let schema, !schema.admits(pointer: pointer) {
                problems.append(ConfigProblem(node["body"].path, "{{body:\(pointer)}} can never be there: the source's schema does not allow it"))
            }
        }
        return AnswerConfig(status: status, contentType: contentType, body: template)
    }

    static func decodeRespond(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> RespondConfig {
        node.rejectUnknownKeys(["upstream", "timeout", "fallback", "fallbackAnswer"], &problems)
        let fallback = node["fallback"].elements(&problems).map { JSONValue($0.value ?? .null) }
        var respond = RespondConfig(upstream: node["upstream"].string(&problems),
                                    fallback: fallback.isEmpty ? [.object(["type": .string("text"), "value": .string("")])] : fallback)
        if node["fallbackAnswer"].isPresent {
            if node["fallback"].isPresent {
                problems.append(ConfigProblem(node["fallbackAnswer"].path, "replaces fallback: give one of them"))
            }
            respond.fallbackAnswer = JSONValue(node["fallbackAnswer"].value ?? .null)
        }
        respond.timeout = node["timeout"].duration(&problems) ?? respond.timeout
        return respond
    }
}
