import Foundation
import PosternCore
@testable import PosternVerify
import Testing

/// One case of the AWS Signature Version 4 test suite (Vectors/aws-sigv4, from awslabs/aws-c-auth).
struct SigV4Vector: CustomTestStringConvertible, Sendable {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Vectors/aws-sigv4")

    static let all: [SigV4Vector] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().compactMap { name in
            FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(name)/context.json").path)
                ? SigV4Vector(name: name) : nil
        }
    }()

    /// The case's `context.json`.
    struct Context: Decodable, Sendable {
        struct Credentials: Decodable, Sendable {
            var access_key_id: String
            var secret_access_key: String
            var token: String?
        }

        var credentials: Credentials
        var region: String
        var service: String
        var timestamp: String
        var normalize: Bool
        var sign_body: Bool?
        var omit_session_token: Bool?
    }

    let name: String
    let context: Context

    var testDescription: String { name }

    init(name: String) {
        self.name = name
        let data = try! Data(contentsOf: Self.directory.appendingPathComponent("\(name)/context.json"))
        context = try! JSONDecoder().decode(Context.self, from: data)
    }

    func file(_ suffix: String) -> String {
        try! String(contentsOf: Self.directory.appendingPathComponent("\(name)/\(suffix)"), encoding: .utf8)
    }

    var time: Date { RFC3339.parse(context.timestamp)! }

    var omitsSessionToken: Bool { context.omit_session_token ?? false }

    var policy: SigV4Policy {
        SigV4Policy(
            region: context.region, service: context.service,
            credentials: [SigV4Credential(accessKeyID: context.credentials.access_key_id,
                                          secretAccessKey: context.credentials.secret_access_key)],
            pathRule: context.normalize ? .normalized : .asSent)
    }

    /// The unsigned request, parsed from its wire text.
    var request: WebhookRequest { Self.parse(file("request.txt")) }

    /// The signed request of one form, parsed from its wire text.
    func signedRequest(_ form: String) -> WebhookRequest {
        Self.parse(file("\(form)-signed-request.txt"))
    }

    /// Parses `METHOD target HTTP/1.1`, headers (continuation lines folded with a space), a blank line, the body.
    static func parse(_ text: String) -> WebhookRequest {
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        let method = String(requestLine.prefix { $0 != " " })
        let target = String(requestLine.dropFirst(method.count + 1).dropLast(" HTTP/1.1".count))
        var headers = RequestHeaders()
        var fields: [(name: String, value: String)] = []
        while let line = lines.first, !line.isEmpty {
            lines.removeFirst()
            if line.first == " " || line.first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        for field in fields { headers.append(field.name, field.value) }
        var body = Array(lines.dropFirst().joined(separator: "\n").utf8)
        if let length = headers["Content-Length"].flatMap(Int.init) { body = Array(body.prefix(length)) }
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return WebhookRequest(method: method, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : nil,
                              headers: headers, body: body)
    }
}
