import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// Genesys Cloud's login and API hosts on loopback, behaving like the real ones: the token request's Basic header
/// and form body are checked, tokens expire, the API takes only a current token and validates the message shape.
final class FakeGenesys: Sendable {
    static let clientId = "client-id"
    static let clientSecret = "client-secret"

    /// What the API answers next, once.
    enum Next: Sendable {
        case accept
        case unauthorized
        case tooManyRequests(retryAfter: String)
    }

    struct State {
        var tokenRequests = 0
        var issued: Set<String> = []
        var expiresIn = 86_400
        var tokenStatus = 200
        var next: [Next] = []
        var messages: [Data] = []
        var apiRequests = 0
    }

    let state = Mutex(State())
    private let port = Mutex(0)
    private let task = Mutex<Task<Void, any Error>?>(nil)

    var base: String { "http://127.0.0.1:\(port.withLock { $0 })" }
    var tokenRequests: Int { state.withLock { $0.tokenRequests } }
    var messageCount: Int { state.withLock { $0.messages.count } }
    /// The accepted messages, parsed.
    var messages: [[String: Any]] {
        state.withLock { $0.messages }.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    static func start() async throws -> FakeGenesys {
        let fake = FakeGenesys()
        let router = Router()
        router.post("/oauth/token") { request, _ in try await fake.token(request) }
        router.post("/api/v2/conversations/messages/:integration/inbound/open/message") { request, _ in
            try await fake.message(request)
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
        fake.task.withLock { $0 = Task { try await app.runService(gracefulShutdownSignals: []) } }
        for await port in ports {
            fake.port.withLock { $0 = port }
            break
        }
        return fake
    }

    func stop() {
        task.withLock { $0?.cancel() }
    }

    private func token(_ request: Request) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 4096))
        let expected = "Basic " + Data("\(Self.clientId):\(Self.clientSecret)".utf8).base64EncodedString()
        guard request.headers[.authorization] == expected, body == "grant_type=client_credentials",
              request.headers[.contentType] == "application/x-www-form-urlencoded" else {
            return Self.json(401, ["error": "invalid_client", "description": "client not found"])
        }
        let (status, token, expiresIn) = state.withLock { state -> (Int, String, Int) in
            state.tokenRequests += 1
            let token = "token-\(state.tokenRequests)"
            if state.tokenStatus == 200 { state.issued.insert(token) }
            return (state.tokenStatus, token, state.expiresIn)
        }
        guard status == 200 else { return Self.json(status, ["error": "temporarily_unavailable"]) }
        return Self.json(200, ["access_token": token, "token_type": "bearer", "expires_in": expiresIn])
    }

    private func message(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 65_536)
        let bearer = request.headers[.authorization]?.replacingOccurrences(of: "Bearer ", with: "") ?? ""
        let next = state.withLock { state -> Next? in
            state.apiRequests += 1
            guard state.issued.contains(bearer) else { return .unauthorized }
            return state.next.isEmpty ? .accept : state.next.removeFirst()
        }
        switch next {
        case .unauthorized?:
            state.withLock { _ = $0.issued.remove(bearer) }
            return Self.json(401, ["message": "Invalid login credentials.", "code": "bad.credentials", "status": 401])
        case .tooManyRequests(let value)?:
            var response = Self.json(429, ["message": "Rate limit exceeded", "code": "too.many.requests", "status": 429])
            response.headers[.retryAfter] = value
            return response
        case .accept?, nil:
            guard let message = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                  let channel = message["channel"] as? [String: Any], channel["messageId"] is String, channel["time"] is String,
                  let from = channel["from"] as? [String: Any], from["id"] is String, from["idType"] as? String == "Opaque",
                  message["text"] is String else {
                return Self.json(400, ["message": "The request could not be understood", "code": "bad.request", "status": 400])
            }
            state.withLock { $0.messages.append(Data(buffer: body)) }
            return Self.json(202, ["id": UUID().uuidString, "channel": channel, "text": message["text"]!])
        }
    }

    static func json(_ status: Int, _ document: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: document)) ?? Data()
        return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
