import Foundation
import HTTPTypes
import NIOCore
import PosternCore
import PosternVerify

/// The OAuth 2.0 token endpoint at `oauth.tokenPath` (RFC 6749 §4.4, the client-credentials grant): a client
/// authenticates with `client_secret_basic` or `client_secret_post`, and gets an access token for the scopes it asks
/// for (all of its scopes when it names none). Errors are RFC 6749 §5.2's. Pure over the request, the authority and
/// the time, like a verifier; the listener records each answer.
enum TokenEndpoint {
    /// The largest token request read: the grant, a scope list and a client's credentials.
    static let maxBodyBytes = 4096

    /// A token request as the listener read it.
    struct Request: Sendable {
        var method: HTTPRequest.Method
        var headers: HTTPFields
        var body: [UInt8]
        var caller: IPAddress?
    }

    /// What the endpoint did, for the audit line and the metrics: the client id as presented (never the secret or
    /// the token), `issued` or the error code, and the scopes granted.
    struct Outcome: Sendable {
        var client: String?
        var outcome: String
        var status: Int
        var scope: String?
    }

    /// An RFC 6749 §5.2 error.
    struct Failure: Error {
        var code: String
        var status: Int
        var description: String
        var retryAfter: Int?

        static func request(_ description: String) -> Failure { Failure(code: "invalid_request", status: 400, description: description) }
        static func client(_ description: String) -> Failure { Failure(code: "invalid_client", status: 401, description: description) }
    }

    static func answer(_ request: Request, authority: TokenAuthority, limiter: TokenRequestLimiter, now: Date) -> (HTTPAnswer, Outcome) {
        var client: String?
        do throws(Failure) {
            guard request.method == .post else { throw Failure.request("the token endpoint takes POST") }
            let contentType = request.headers[.contentType]?.split(separator: ";").first?.trimmingSpaces.lowercased()
            guard contentType == "application/x-www-form-urlencoded" else {
                throw Failure.request("the body must be application/x-www-form-urlencoded")
            }
            let form = try parameters(request.body)
            let (id, secret) = try credentials(request.headers, form)
            client = id
            if let retryAfter = limiter.admit(client: id, caller: request.caller) {
                throw Failure(code: "rate_limited", status: 429, description: "too many token requests; retry later", retryAfter: retryAfter)
            }
            guard let known = authority.client(id: id), TokenAuthority.authenticates(known, secret: Array(secret.utf8)) else {
                throw Failure.client("unknown client or wrong secret")
            }
            guard let grant = form["grant_type"] else { throw Failure.request("grant_type is required") }
            guard grant == "client_credentials" else {
                throw Failure(code: "unsupported_grant_type", status: 400, description: "only client_credentials is supported")
            }
            let scopes = try granted(form["scope"], to: known)
            let token = try issue(authority, known, scopes, now)
            let scope = scopes.joined(separator: " ")
            let body = "{\"access_token\":\(JSONText.quoted(token)),\"token_type\":\"Bearer\",\"expires_in\":\(authority.config.tokenLifetime),\"scope\":\(JSONText.quoted(scope))}"
            let answer = HTTPAnswer.json(status: 200, ByteBuffer(string: body), headers: noStore)
            return (answer, Outcome(client: id, outcome: "issued", status: 200, scope: scope))
        } catch {
            return (failed(error), Outcome(client: client, outcome: error.code, status: error.status))
        }
    }

    /// The form's parameters; each at most once (RFC 6749 §3.2: parameters must not be repeated).
    private static func parameters(_ body: [UInt8]) throws(Failure) -> [String: String] {
        guard case .object(let fields)? = try? FormBody.parse(body) else { throw Failure.request("the body is not a valid form") }
        var parameters: [String: String] = [:]
        for (name, value) in fields {
            guard case .string(let text) = value else { throw Failure.request("\(name.name) is sent more than once") }
            parameters[name.name] = text
        }
        return parameters
    }

    /// The client's id and secret, from `Authorization: Basic` (each form-encoded, RFC 6749 §2.3.1) or the body; one
    /// way only.
    private static func credentials(_ headers: HTTPFields, _ form: [String: String]) throws(Failure) -> (String, String) {
        let posted = (form["client_id"], form["client_secret"])
        if let authorization = headers[.authorization] {
            guard authorization.prefix(6).lowercased() == "basic ",
                  let decoded = Data(base64Encoded: String(authorization.dropFirst(6).trimmingSpaces)),
                  let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":"),
                  let id = FormBody.decodeComponent(String(text[..<colon])),
                  let secret = FormBody.decodeComponent(String(text[text.index(after: colon)...])) else {
                throw Failure.client("the Authorization header is not Basic client credentials")
            }
            guard posted.1 == nil else { throw Failure.request("the client authenticates one way: Basic or client_secret, not both") }
            if let postedID = posted.0, postedID != id { throw Failure.request("client_id differs from the Basic credentials") }
            return (id, secret)
        }
        guard let id = posted.0, let secret = posted.1 else {
            throw Failure.client("client authentication is required: Basic credentials, or client_id and client_secret")
        }
        return (id, secret)
    }

    /// The scopes asked for, which must all be the client's; all the client's when none are named.
    private static func granted(_ requested: String?, to client: OAuthClient) throws(Failure) -> [String] {
        guard let requested else { return client.scopes }
        guard let scopes = OAuthScope.parse(requested) else {
            throw Failure(code: "invalid_scope", status: 400, description: "scope is not a list of scope tokens")
        }
        let allowed = Set(client.scopes)
        if let refused = scopes.first(where: { !allowed.contains($0) }) {
            throw Failure(code: "invalid_scope", status: 400, description: "the client may not have the scope \(refused)")
        }
        var seen = Set<String>()
        return scopes.filter { seen.insert($0).inserted }
    }

    private static func issue(_ authority: TokenAuthority, _ client: OAuthClient, _ scopes: [String], _ now: Date) throws(Failure) -> String {
        do {
            return try authority.issue(to: client, scopes: scopes, now: now)
        } catch {
            throw Failure(code: "server_error", status: 500, description: "the token could not be signed")
        }
    }

    /// RFC 6749 §5.1: token answers are never cached.
    static let noStore: HTTPFields = [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"]

    static func failed(_ failure: Failure) -> HTTPAnswer {
        var headers = noStore
        if failure.status == 401 { headers[.wwwAuthenticate] = "Basic realm=\"postern\"" }
        if let seconds = failure.retryAfter { headers[.retryAfter] = String(seconds) }
        let body = "{\"error\":\(JSONText.quoted(failure.code)),\"error_description\":\(JSONText.quoted(failure.description))}"
        return HTTPAnswer.json(status: failure.status, ByteBuffer(string: body), headers: headers)
    }

    /// `/.well-known/jwks.json`: the public keys that verify the tokens, old ones included until their tokens expire.
    static func jwks(_ authority: TokenAuthority, now: Date) -> HTTPAnswer {
        HTTPAnswer.json(status: 200, ByteBuffer(string: authority.jwks(now: now).jsonText),
                        headers: [.cacheControl: "public, max-age=300"])
    }

    /// `/.well-known/oauth-authorization-server` (RFC 8414): where the token endpoint and the keys are.
    static func metadata(_ authority: TokenAuthority) -> HTTPAnswer {
        let issuer = authority.issuer.hasSuffix("/") ? String(authority.issuer.dropLast()) : authority.issuer
        let document: JSONValue = .object([
            "issuer": .string(authority.issuer),
            "token_endpoint": .string(issuer + authority.config.tokenPath),
            "jwks_uri": .string(issuer + jwksPath),
            "grant_types_supported": .array([.string("client_credentials")]),
            "token_endpoint_auth_methods_supported": .array([.string("client_secret_basic"), .string("client_secret_post")]),
            "scopes_supported": .array(Array(Set(authority.config.clients.flatMap(\.scopes))).sorted().map(JSONValue.string)),
        ])
        return HTTPAnswer.json(status: 200, ByteBuffer(string: document.jsonText))
    }

    static let jwksPath = "/.well-known/jwks.json"
    static let metadataPath = "/.well-known/oauth-authorization-server"
}
