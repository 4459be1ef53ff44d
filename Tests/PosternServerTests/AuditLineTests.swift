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

/// The audit line written by hand reads back as the decision, time to the millisecond, and escapes what it must.
struct AuditLineTests {
    @Test func aDecisionReadsBackFromItsLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).jsonl").path
        let observer = DecisionObserver(audit: try AuditLog(.file(path: path)), metrics: Metrics(), summary: AuditSummary(),
                                        logger: Logger(label: "test"))
        var decision = Decision(time: Date(timeIntervalSince1970: 1_764_064_800.123_9), method: "POST",
                                path: "/hooks/\"quoted\"\n", caller: "::1")
        decision.source = "cognigy"
        decision.reason = .accepted
        decision.status = 200
        decision.eventID = "evt_1"
        decision.verification = Verification(scheme: "cognigy-webhook", secretIndex: 1)
        decision.latency = .microseconds(1_234)
        observer.record(decision)
        let line = try String(contentsOfFile: path, encoding: .utf8)
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(fields["time"] as? String == "2025-11-25T10:00:00.123Z")
        #expect(fields["path"] as? String == "/hooks/\"quoted\"\n")
        #expect(fields["status"] as? Int == 200 && fields["secretIndex"] as? Int == 1 && fields["latencyMs"] as? Double == 1.234)
        #expect(fields["decision"] as? String == "accepted" && fields["eventId"] as? String == "evt_1")
        #expect(fields["clientSubject"] == nil && fields["correlationId"] == nil, "absent fields are left out")
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
    }

    @Test func storedVerificationReadsBackWithJSONDecoderInUnixTime() throws {
        let verification = Verification(scheme: "hmac \"x\"", secretIndex: 2, timestamp: Date(timeIntervalSince1970: 1_700_000_000.5),
                                        signatureDigest: "ab", messageID: "m")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        #expect(try decoder.decode(Verification.self, from: Data(verification.jsonText.utf8)) == verification)
        #expect(verification.jsonText.contains("\"timestamp\":1700000000.5"))
        #expect(try decoder.decode(Verification.self, from: Data(Verification(scheme: "none").jsonText.utf8)) == Verification(scheme: "none"))
    }
}
