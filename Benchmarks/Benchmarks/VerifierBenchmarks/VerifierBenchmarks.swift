import Benchmark
import Crypto
import Foundation
import PosternCore
import PosternVerify

/// A 1 KiB JSON body, as a typical webhook carries.
let body: [UInt8] = {
    let padding = String(repeating: "x", count: 1024 - 40)
    return Array(#"{"eventId":"evt-1","note":"\#(padding)"}"#.utf8.prefix(1024))
}()
let now = Date(timeIntervalSince1970: 1_700_000_000)

/// A header-form SigV4 POST of the body, signed by the verifier's own canonicalizer (exact to the AWS suite).
func sigV4Request() -> (SigV4Verifier, WebhookRequest) {
    let policy = SigV4Policy(region: "eu-west-1", service: "execute-api",
                             credentials: [SigV4Credential(accessKeyID: "AKIDBENCH", secretAccessKey: "bench-secret")],
                             tolerance: 900)
    let amzDate = "20231114T221320Z"
    var request = WebhookRequest(path: "/cxone/events", query: "tenant=a",
                                 headers: ["Host": "hooks.example.com", "X-Amz-Date": amzDate,
                                           "Content-Type": "application/json"], body: body)
    let signed = ["content-type", "host", "x-amz-date"]
    let scope = "20231114/eu-west-1/execute-api/aws4_request"
    let canonical = SigV4CanonicalRequest(request, signedHeaders: signed,
                                          payloadHash: ByteEncoding.hex.encode(SHA256.hash(data: body)), pathRule: .normalized)
    var key = SymmetricKey(data: Array("AWS4bench-secret".utf8))
    for part in ["20231114", "eu-west-1", "execute-api", "aws4_request"] {
        key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
    }
    let signature = HMAC<SHA256>.authenticationCode(for: Array(canonical.stringToSign(amzDate: amzDate, scope: scope).utf8), using: key)
    request.headers.append("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDBENCH/\(scope), SignedHeaders=\(signed.joined(separator: ";")), Signature=\(ByteEncoding.hex.encode(signature))")
    return (SigV4Verifier(policy: policy), request)
}

/// A preset's verifier and a request its sender would make.
func hmacRequest(_ presetName: String, secret: String) -> (any Verifier, WebhookRequest) {
    guard case .hmac(let descriptor) = Preset.all[presetName]!.method, let key = descriptor.keyBytes(for: secret) else {
        fatalError("\(presetName) is not an HMAC preset")
    }
    let lines = HMACSigner(descriptor: descriptor).headers(body: body, keyBytes: key, timestamp: now)
    return (HMACVerifier(descriptor: descriptor, keys: [key], scheme: presetName),
            WebhookRequest(headers: RequestHeaders(lines), body: body))
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .throughput],
                                           maxDuration: .seconds(3))

    Benchmark("SigV4 verify, 1 KiB POST") { benchmark in
        let (verifier, request) = sigV4Request()
        precondition(verifier.verify(request, now: now) != .refused(.invalidSignature))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(verifier.verify(request, now: now)) }
    }

    for (preset, secret) in [("cognigy-webhook", "s"), ("cognigy-fulfillment", "s"), ("standard-webhooks", "whsec_c2VjcmV0"),
                             ("stripe", "whsec_s"), ("github", "s"), ("genesys-open-messaging", "s")] {
        Benchmark("\(preset) verify, 1 KiB") { benchmark in
            let (verifier, request) = hmacRequest(preset, secret: secret)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(verifier.verify(request, now: now)) }
        }
    }

    Benchmark("JSON parse + cognigy-flow-event schema, 1 KiB") { benchmark in
        let schema = try JSONSchema.compile(json: BuiltInSchemas.byName["cognigy-flow-event"]!)
        let event = Array(#"{"event_id":"e-1","flow_name":"billing","payload_data":{"note":"\#(String(repeating: "y", count: 900))"}}"#.utf8)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try schema.validate(try JSONParser.parse(event))) }
    }

    // A backend's contact-event schema of 40 keywords ($defs, $ref, oneOf, pattern, unevaluatedProperties, format
    // annotations among them) on a 1 KiB event: the check a request pays, parsed JSON given.
    Benchmark("Schema check, 40 keywords, 1 KiB event") { benchmark in
        let schema = try JSONSchema.compile(json: ##"""
            {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "$defs": {"channel": {"enum": ["voice", "chat", "email"]}, "id": {"type": "string", "pattern": "^evt-[0-9]+$"}},
             "type": "object", "required": ["eventId", "at", "channel"],
             "properties": {
               "eventId": {"$ref": "#/$defs/id"}, "at": {"type": "string", "format": "date-time"},
               "channel": {"$ref": "#/$defs/channel"}, "priority": {"type": "integer", "minimum": 1, "maximum": 5},
               "sessionId": {"type": "string", "minLength": 1, "maxLength": 64},
               "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true, "maxItems": 16},
               "attributes": {"type": "object", "additionalProperties": {"type": "string"}},
               "transcript": {"type": "string", "maxLength": 4096}
             },
             "oneOf": [{"required": ["callId"]}, {"required": ["chatId"]}],
             "unevaluatedProperties": {"type": ["string", "number"]}}
            """##)
        let event = try JSONParser.parse(Array(#"{"eventId":"evt-1","at":"2026-12-02T10:00:00Z","channel":"voice","priority":3,"sessionId":"s-1","tags":["vip","billing"],"attributes":{"tier":"gold","region":"emea"},"callId":"c-1","transcript":"\#(String(repeating: "y", count: 700))"}"#.utf8))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try schema.validate(event)) }
    }
}
