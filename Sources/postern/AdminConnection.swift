import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import PosternCore
import PosternServer

/// How `tail` and `forward` reach a gateway's admin API: `--admin-url` and `--token` (or `POSTERN_ADMIN_TOKEN`, which
/// keeps the token out of `ps`), else the configuration's `admin.listen` and its first token.
struct AdminConnection: ParsableArguments {
    @Option(name: .long, help: "The configuration file (YAML) to read admin.listen and a token from.")
    var config: String = "postern.yaml"

    @Option(name: [.customLong("admin-url"), .customLong("from")],
            help: "The admin API, e.g. https://gateway-admin:9090 (instead of the configuration's).")
    var adminURL: String?

    @Option(name: .long, help: "An admin token (default: $POSTERN_ADMIN_TOKEN, else the configuration's first).")
    var token: String?

    /// The base URL (no trailing slash) and the token, if any.
    func resolve() throws -> (url: String, token: String?) {
        let environment = ProcessInfo.processInfo.environment["POSTERN_ADMIN_TOKEN"]
        if let adminURL, token != nil || environment != nil || !FileManager.default.fileExists(atPath: config) {
            return (String(adminURL.reversed().drop { $0 == "/" }.reversed()), token ?? environment)
        }
        let admin: AdminConfig
        do {
            admin = try ConfigFile.loadAdmin(path: config)
        } catch {
            throw CommandFailure("\(config): \(error.problems.map(\.description).joined(separator: "; "))")
        }
        let host = admin.listen.host.contains(":") ? "[\(admin.listen.host)]" : admin.listen.host
        let url = adminURL.map { String($0.reversed().drop { $0 == "/" }.reversed()) }
            ?? "http://\(host == "0.0.0.0" ? "127.0.0.1" : host == "[::]" ? "[::1]" : host):\(admin.listen.port)"
        return (url, token ?? environment ?? admin.tokens.first?.token)
    }
}

/// Calls a gateway's admin API.
struct AdminClient: Sendable {
    let url: String
    let token: String?

    /// An answer that is not a 2xx, with the API's own message.
    struct Refused: Error, CustomStringConvertible {
        var status: Int
        var message: String
        var description: String { "the admin API answered \(status): \(message)" }
    }

    func request(_ path: String, headers: [(String, String)] = []) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url + path)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        return request
    }

    /// GETs a JSON document.
    func json(_ path: String) async throws -> JSONValue {
        let response = try await HTTPClient.shared.execute(request(path), timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 64 << 20)
        let bytes = Array(body.readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw Refused(status: Int(response.status.code), message: Self.message(bytes))
        }
        return try JSONParser.parse(bytes)
    }

    /// Reads `GET /admin/v1/decisions` until it ends or fails, calling `each` for every event; resumes after the
    /// reader's last id. A refusal (401, 403, 400) is thrown as `Refused`.
    func decisions(_ query: String, reader: inout ServerSentEvents, _ each: (ServerSentEvents.Event) throws -> Void) async throws {
        let headers = reader.lastEventID.map { [("Last-Event-ID", $0)] } ?? []
        let response = try await HTTPClient.shared.execute(request("/admin/v1/decisions" + query, headers: headers),
                                                           timeout: .hours(24 * 365))
        guard response.status.code == 200 else {
            let body = try await response.body.collect(upTo: 1 << 20)
            throw Refused(status: Int(response.status.code), message: Self.message(Array(body.readableBytesView)))
        }
        for try await buffer in response.body {
            for event in try reader.feed(buffer.readableBytesView) { try each(event) }
        }
    }

    private static func message(_ bytes: [UInt8]) -> String {
        if case .object(let fields)? = try? JSONParser.parse(bytes), case .string(let message)? = fields["message"] { return message }
        return String(decoding: bytes.prefix(300), as: UTF8.self)
    }
}
