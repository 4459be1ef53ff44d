import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PosternCore
import PosternServer
import PosternStore
import SQLiteNIO
import Testing

/// Every answer of the webhook listener, through its own channel on a socket and a real SQLite store.
struct IngestTests {
    static let yaml = """
        sources:
          - name: flow
            path: /flow
            verify: {preset: cognigy-webhook, secrets: [flow-secret]}
            schema: cognigy-flow-event
            idempotencyKey: body:/event_id
          - name: fulfil
            path: /fulfil
            verify: {preset: cognigy-fulfillment, secrets: [fulfil-secret]}
            idempotencyKey: body:/requestId
            onDuplicate: 409
            limits: {maxBodyBytes: 64}
          - name: keyed
            path: /keyed
            verify: {preset: bearer, secrets: [token-1]}
        """

    let flowBody = #"{"event_id":"e-1","flow_name":"billing"}"#

    func post(_ client: some TestClientProtocol, _ path: String, _ body: String, _ headers: HTTPFields) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func acceptedThenDuplicateWithTheSameID() async throws {
        let gateway = try TestGateway(Self.yaml)
        let store = try await gateway.openStore()
        let headers = TestGateway.signed(flowBody, preset: "cognigy-webhook", secret: "flow-secret")
        try await gateway.withIngest(store: store) { client in
            let first = try await post(client, "/flow", flowBody, headers)
            #expect(first.status == .ok)
            #expect(first.json["status"] as? String == "accepted")
            let second = try await post(client, "/flow", flowBody, headers)
            #expect(second.status == .ok)
            #expect(second.json["status"] as? String == "duplicate")
            #expect(second.json["id"] as? String == first.json["id"] as? String)
        }
        #expect(try await store.events(source: "flow", limit: 10).map(\.idempotencyKey) == ["e-1"])
        let audit = try gateway.auditLines()
        #expect(audit.map { $0["reason"] as? String } == ["accepted", "duplicate"])
        #expect(audit.first?["eventId"] as? String != nil)
        try await store.close()
    }

    @Test func storedHeadersKeepContextButNoCredentialsOrSignatures() async throws {
        let gateway = try TestGateway(Self.yaml)
        let store = try await gateway.openStore()
        var headers = TestGateway.signed(flowBody, preset: "cognigy-webhook", secret: "flow-secret")
        headers[.contentType] = "application/json"
        headers[.authorization] = "Bearer should-not-be-stored"
        headers[HTTPField.Name("X-Cognigy-CorrelationId")!] = "corr-7"
        let sent = headers
        try await gateway.withIngest(store: store) { client in
            _ = try await post(client, "/flow", flowBody, sent)
        }
        try await store.close()
        let connection = try await SQLiteConnection.open(storage: .file(path: gateway.directory.appendingPathComponent("events.db").path))
        let row = try await connection.query("SELECT headers, correlation_id FROM events", []).first
        try await connection.close()
        let stored = try #require(row?.column("headers")?.string)
        #expect(stored.contains("application/json") && stored.contains("x-cognigy-webhook-timestamp"))
        #expect(!stored.contains("should-not-be-stored") && !stored.lowercased().contains("signature"))
        #expect(row?.column("correlation_id")?.string == "corr-7")
    }

    @Test func duplicateMayAnswer409() async throws {
        let gateway = try TestGateway(Self.yaml)
        let store = try await gateway.openStore()
        let body = #"{"requestId":"r-1"}"#
        let headers = TestGateway.signed(body, preset: "cognigy-fulfillment", secret: "fulfil-secret")
        try await gateway.withIngest(store: store) { client in
            #expect(try await post(client, "/fulfil", body, headers).status == .ok)
            let again = try await post(client, "/fulfil", body, headers)
            #expect(again.status == .conflict)
            #expect(again.json["status"] as? String == "duplicate")
        }
        try await store.close()
    }

    @Test func everyRefusalHasItsStatusAndReason() async throws {
        let gateway = try TestGateway(Self.yaml)
        let store = try await gateway.openStore()
        let signed = { (body: String) in TestGateway.signed(body, preset: "cognigy-webhook", secret: "flow-secret") }
        let stale = TestGateway.signed(flowBody, preset: "cognigy-webhook", secret: "flow-secret",
                                       at: TestGateway.now.addingTimeInterval(-301))
        var forged = signed(flowBody)
        forged[HTTPField.Name("X-Cognigy-Webhook-Signature")!] = String(repeating: "0", count: 64)
        let deep = #"{"event_id":"d","payload_data":{"a":"# + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}}"
        let cases: [(String, HTTPRequest.Method, String, HTTPFields, HTTPResponse.Status, String)] = [
            ("/nowhere", .post, "{}", [:], .notFound, "unknown_source"),
            ("/flow", .get, "", [:], .methodNotAllowed, "method_not_allowed"),
            ("/fulfil", .post, String(repeating: " ", count: 65), [:], .contentTooLarge, "body_too_large"),
            ("/flow", .post, flowBody, [:], .unauthorized, "missing_signature"),
            ("/flow", .post, flowBody, forged, .unauthorized, "invalid_signature"),
            ("/flow", .post, flowBody, stale, .unauthorized, "timestamp_out_of_window"),
            ("/keyed", .post, "{}", [.authorization: "Bearer token-2"], .unauthorized, "invalid_credentials"),
            ("/flow", .post, "{\"event_id\":", signed("{\"event_id\":"), .badRequest, "malformed_json"),
            ("/flow", .post, deep, signed(deep), .badRequest, "malformed_json"),
            ("/flow", .post, #"{"event_id":"e","colour":"red"}"#, signed(#"{"event_id":"e","colour":"red"}"#),
             .unprocessableContent, "schema_violation"),
        ]
        try await gateway.withIngest(store: store) { client in
            for (path, method, body, headers, status, reason) in cases {
                let response = try await client.execute(uri: path, method: method, headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == status, "\(reason)")
                #expect(response.json["error"] as? String == reason)
                #expect((response.json["message"] as? String)?.isEmpty == false)
            }
        }
        #expect(try await store.events(source: nil, limit: 10).isEmpty)
        try await store.close()
    }

    @Test func schemaViolationNamesTheFirstBadField() async throws {
        let gateway = try TestGateway(Self.yaml)
        let store = try await gateway.openStore()
        let body = #"{"event_id":"e","session_id":42}"#
        try await gateway.withIngest(store: store) { client in
            let response = try await post(client, "/flow", body, TestGateway.signed(body, preset: "cognigy-webhook", secret: "flow-secret"))
            #expect(response.status == .unprocessableContent)
            #expect((response.json["message"] as? String)?.hasPrefix("/session_id: ") == true)
        }
        try await store.close()
    }

    @Test func aFailingStoreAnswers503WithRetryAfterNever2xx() async throws {
        let gateway = try TestGateway(Self.yaml)
        let headers = TestGateway.signed(flowBody, preset: "cognigy-webhook", secret: "flow-secret")
        try await gateway.withIngest(store: UnavailableStore()) { client in
            let response = try await post(client, "/flow", flowBody, headers)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] != nil)
            #expect(response.json["error"] as? String == "store_unavailable")
        }
    }

    @Test func auditLinesCarryNoSecretsSignaturesOrBodies() async throws {
        let gateway = try TestGateway(Self.yaml)
        let store = try await gateway.openStore()
        let headers = TestGateway.signed(flowBody, preset: "cognigy-webhook", secret: "flow-secret")
        try await gateway.withIngest(store: store) { client in
            _ = try await post(client, "/flow", flowBody, headers)
            _ = try await post(client, "/keyed", "{}", [.authorization: "Bearer token-1"])
        }
        let text = try String(contentsOfFile: gateway.auditPath, encoding: .utf8)
        let signature = headers[HTTPField.Name("X-Cognigy-Webhook-Signature")!]!
        for secret in ["flow-secret", "token-1", signature, "billing"] {
            #expect(!text.contains(secret), "the audit log contains \(secret)")
        }
        #expect(try gateway.auditLines().count == 2)
        try await store.close()
    }
}
/// A store whose every write fails, as a full disk or a lost database would.
struct UnavailableStore: EventStore {
    struct Down: Error {}
    func insert(_ event: IncomingEvent) async throws -> StoreOutcome { throw Down() }
    func events(matching query: EventQuery) async throws -> [StoredEvent] { throw Down() }
    func count(matching query: EventQuery) async throws -> Int { throw Down() }
    func event(id: String) async throws -> EventDetail? { throw Down() }
    func prune(receivedBefore cutoff: Date, limit: Int) async throws -> Int { throw Down() }
    func close() async throws {}
}
