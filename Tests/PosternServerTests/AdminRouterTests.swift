import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PosternCore
@testable import PosternServer
import Testing

/// The admin listener: health, metrics, the token, the dry-run verify endpoint and the audit summary.
struct AdminRouterTests {
    static let yaml = """
        admin:
          listen: "127.0.0.1:9090"
          token: admin-token
          tokens: [{name: dashboard, token: viewer-token, role: viewer}]
        sources:
          - name: gh
            path: /gh
            verify: {preset: github, secrets: [gh-secret]}
          - name: guarded
            path: /guarded
            verify: {preset: none}
            allowIPs: [127.0.0.0/8]
            rateLimit: {perSecond: 25, burst: 50}
        """

    func withAdmin(_ gateway: TestGateway, ready: Bool = true,
                   _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let readiness = Readiness()
        readiness.set(ready)
        let router = AdminRouter.make(AdminServices(live: gateway.live(), observer: gateway.observer, readiness: readiness))
        try await Application(router: router).test(.router, body)
    }

    @Test func healthAndReadiness() async throws {
        let gateway = try TestGateway(Self.yaml)
        try await withAdmin(gateway, ready: false) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            let readiness = try await client.execute(uri: "/readyz", method: .get)
            #expect(health.status == .ok)
            #expect(readiness.status == .serviceUnavailable)
        }
        try await withAdmin(gateway) { client in
            let readiness = try await client.execute(uri: "/readyz", method: .get)
            #expect(readiness.status == .ok)
        }
    }

    @Test func adminRoutesNeedTheToken() async throws {
        let gateway = try TestGateway(Self.yaml)
        try await withAdmin(gateway) { client in
            let anonymous = try await client.execute(uri: "/admin/audit/summary", method: .get)
            #expect(anonymous.status == .unauthorized)
            let wrong = try await client.execute(uri: "/admin/audit/summary", method: .get, headers: [.authorization: "Bearer nope"])
            #expect(wrong.status == .unauthorized)
            let right = try await client.execute(uri: "/admin/audit/summary", method: .get, headers: [.authorization: "Bearer admin-token"])
            #expect(right.status == .ok)
        }
    }

    @Test func aViewerReadsButOnlyAnOperatorActsAndEveryCallIsAuditedByName() async throws {
        let gateway = try TestGateway(Self.yaml)
        try await withAdmin(gateway) { client in
            let read = try await client.execute(uri: "/admin/audit/summary", method: .get, headers: [.authorization: "Bearer viewer-token"])
            #expect(read.status == .ok)
            let act = try await client.execute(uri: "/admin/reload", method: .post, headers: [.authorization: "Bearer viewer-token"])
            #expect(act.status == .forbidden)
            #expect(String(buffer: act.body).contains("\"error\":\"forbidden\""))
            let anonymous = try await client.execute(uri: "/admin/reload", method: .post)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
        let calls = try gateway.auditLines().filter { $0["decision"] as? String == "admin_call" }
        #expect(calls.map { $0["by"] as? String } == ["dashboard", "dashboard", nil])
        #expect(calls.map { $0["status"] as? Int } == [200, 403, 401])
        #expect(calls[1]["role"] as? String == "viewer" && calls[1]["path"] as? String == "/admin/reload")
        let text = try String(contentsOfFile: gateway.auditPath, encoding: .utf8)
        #expect(!text.contains("viewer-token") && !text.contains("admin-token"))
    }

    @Test func verifyEndpointAnswersTheVerdictAndStoresNothing() async throws {
        let gateway = try TestGateway(Self.yaml)
        let body = #"{"action":"opened"}"#
        let signature = TestGateway.signed(body, preset: "github", secret: "gh-secret")[HTTPField.Name("X-Hub-Signature-256")!]!
        func sample(_ signature: String) throws -> ByteBuffer {
            let document: [String: Any] = ["headers": ["X-Hub-Signature-256": signature, "X-GitHub-Delivery": "d-1"], "body": body]
            return ByteBuffer(data: try JSONSerialization.data(withJSONObject: document))
        }
        let auth: HTTPFields = [.authorization: "Bearer admin-token"]
        let goodSample = try sample(signature)
        let badSample = try sample("sha256=" + String(repeating: "ab", count: 32))
        try await withAdmin(gateway) { client in
            let good = try await client.execute(uri: "/admin/sources/gh/verify", method: .post, headers: auth, body: goodSample)
            #expect(good.json["verdict"] as? String == "verified")
            // GitHub's default key is the signature: X-GitHub-Delivery is not signed, so a resent capture could change it.
            #expect((good.json["idempotencyKey"] as? String)?.hasPrefix("sig:") == true)
            let bad = try await client.execute(uri: "/admin/sources/gh/verify", method: .post, headers: auth,
                                               body: badSample)
            #expect(bad.json["verdict"] as? String == "refused")
            #expect(bad.json["reason"] as? String == "invalid_signature")
            let unknown = try await client.execute(uri: "/admin/sources/nope/verify", method: .post, headers: auth, body: goodSample)
            #expect(unknown.status == .notFound)
        }
        #expect(!FileManager.default.fileExists(atPath: gateway.directory.appendingPathComponent("events.db").path))
    }

    @Test func summaryAndMetricsCountDecisions() async throws {
        let gateway = try TestGateway(Self.yaml)
        let store = try await gateway.openStore()
        let body = #"{"action":"opened"}"#
        var signed = TestGateway.signed(body, preset: "github", secret: "gh-secret")
        signed[HTTPField.Name("X-GitHub-Delivery")!] = "d-1"
        let headers = signed
        try await gateway.withIngest(store: store) { client in
            _ = try await client.execute(uri: "/gh", method: .post, headers: headers, body: ByteBuffer(string: body))
            _ = try await client.execute(uri: "/gh", method: .post, body: ByteBuffer(string: body))
        }
        try await store.close()
        try await withAdmin(gateway) { client in
            let summary = try await client.execute(uri: "/admin/audit/summary", method: .get, headers: [.authorization: "Bearer admin-token"])
            let source = (summary.json["sources"] as? [[String: Any]])?.first
            #expect(source?["verified"] as? Int == 1)
            #expect(source?["refused"] as? Int == 1)
            #expect((source?["lastRefusal"] as? [String: Any])?["reason"] as? String == "missing_signature")
            #expect((source?["posture"] as? [String: Any])?["scheme"] as? String == "github")
            let posture = (summary.json["sources"] as? [[String: Any]])?.last?["posture"] as? [String: Any]
            #expect(posture?["allowIPs"] as? [String] == ["127.0.0.0/8"])
            #expect((posture?["rateLimit"] as? [String: Any])?["burst"] as? Int == 50)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"postern_requests_total{outcome="accepted",reason="accepted",source="gh"} 1"#))
            #expect(metrics.contains(#"postern_requests_total{outcome="refused",reason="missing_signature",source="gh"} 1"#))
            #expect(metrics.contains("postern_request_duration_seconds_count{source=\"gh\"} 2"))
        }
    }
}

/// The OpenAPI document and the router in lock-step: every documented operation is served, and every `/admin/v1`
/// resource the router knows is documented with the same methods.
struct AdminOpenAPILockstepTests {
    @Test func everyDocumentedOperationIsServedAndEveryResourceDocumented() async throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(AdminOpenAPI.document.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Dictionary(uniqueKeysWithValues: paths.map { path, operations in
            (path, Set(operations.keys.map { $0.uppercased() }))
        })
        let served = Dictionary(uniqueKeysWithValues: AdminRouter.v1Resources.map { resource in
            (resource.pattern.replacingOccurrences(of: "*", with: "{id}"), Set(resource.methods.map(\.rawValue)).subtracting(["HEAD"]))
        })
        #expect(documented == served)

        let gateway = try TestGateway(AdminRouterTests.yaml)
        let store = try await gateway.openStore()
        gateway.observer.feed.close()  // the stream then answers 503 at once instead of streaming for ever
        let router = AdminRouter.make(AdminServices(live: gateway.live(), observer: gateway.observer, readiness: Readiness(), store: store))
        try await Application(router: router).test(.router) { client in
            for (path, methods) in documented {
                for method in methods {
                    let uri = path.replacingOccurrences(of: "{id}", with: "evt_none")
                    let answer = try await client.execute(uri: uri, method: .init(method)!, headers: [.authorization: "Bearer admin-token"])
                    let body = String(buffer: answer.body)
                    #expect(answer.status != .methodNotAllowed, "\(method) \(path)")
                    #expect(answer.status != .notFound || body.contains("not_found"), "\(method) \(path) is not routed: \(body)")
                }
            }
        }
        try await store.close()
    }
}
