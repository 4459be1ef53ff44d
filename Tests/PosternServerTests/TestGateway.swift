import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import Logging
import PosternCore
@testable import PosternServer
import PosternStore
import PosternVerify

/// A gateway assembled in-process from YAML, on a real SQLite file in a temporary directory.
struct TestGateway {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    let directory: URL
    let plan: GatewayPlan
    var sources: SourceTable { plan.sources }
    let observer: DecisionObserver
    let auditPath: String

    init(_ yaml: String, environment: [String: String] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("postern-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Bound first: `try ConfigFile.load(…).sources` read straight off the typed-throws call crashed in a copy of
        // SourceTable (Swift 6.3.1, debug build).
        let plan = try ConfigFile.load(text: yaml, baseDirectory: directory.path, environment: environment)
        self.plan = plan
        auditPath = directory.appendingPathComponent("audit.jsonl").path
        observer = DecisionObserver(audit: try AuditLog(.file(path: auditPath)), metrics: Metrics(),
                                    summary: AuditSummary(), logger: Logger(label: "test"))
    }

    /// The plan as the responders serve it.
    func live(rateLimiter: RateLimiter? = nil, callers: CallerResolver? = nil) -> LiveConfiguration {
        LiveConfiguration(ServingConfiguration(plan, rateLimiter: rateLimiter, callers: callers))
    }

    func openStore() async throws -> SQLiteEventStore {
        try await SQLiteEventStore.open(path: directory.appendingPathComponent("events.db").path)
    }

    /// Runs `body` against the webhook listener, with the clock pinned at `now`.
    func withIngest(store: any EventStore, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Self.listening(Ingest(live: live(), store: store, observer: observer, clock: WallClock { Self.now }), body)
    }

    /// Runs `body` against a webhook listener's own channel (`IngestChannel`) on a loopback socket: Hummingbird's
    /// test client connects to it as a sender would. (The application's router is never asked.)
    static func listening(_ ingest: Ingest, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let server = HTTPServerBuilder { _ in IngestChannel(ingest: ingest, limits: ConnectionLimits(), tls: nil) }
        try await Application(router: Router(), server: server).test(.live, body)
    }

    func auditLines() throws -> [[String: Any]] {
        try String(contentsOfFile: auditPath, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    /// Headers a correct sender of the preset would send at `now`.
    static func signed(_ body: String, preset: String, secret: String, at time: Date = now) -> HTTPFields {
        guard case .hmac(let descriptor) = Preset.all[preset]!.method else { return [:] }
        let lines = HMACSigner(descriptor: descriptor).headers(body: Array(body.utf8),
                                                               keyBytes: descriptor.keyBytes(for: secret)!, timestamp: time)
        var fields = HTTPFields()
        for line in lines { fields.append(HTTPField(name: HTTPField.Name(line.name)!, value: line.value)) }
        return fields
    }
}

extension TestResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
    }
}
