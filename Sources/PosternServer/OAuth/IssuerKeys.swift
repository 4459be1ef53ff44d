import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import PosternCore
import PosternVerify
import Synchronization

/// A `jwt` source's identity-provider keys at work: fetched over https from the JWKS URL when the gateway starts or
/// reloads (the last good document is kept in the cache file, and used when the provider cannot be reached), and
/// fetched again when a token names a `kid` they do not hold, at most once per `refreshInterval` (the interval counts
/// from the last such fetch, not from the load), concurrent requests waiting on the one fetch.
public final class IssuerKeys: Sendable {
    /// Seconds between two fetches caused by unknown `kid`s: a flood of forged `kid`s costs the provider one fetch.
    static let refreshInterval: Duration = .seconds(10)
    static let fetchTimeout = TimeAmount.seconds(10)

    let policy: IssuerPolicy
    let keys: TokenKeySet
    private let state = Mutex<(lastFetch: ContinuousClock.Instant?, fetching: Task<Bool, Never>?)>((nil, nil))

    init(policy: IssuerPolicy, keys: TokenKeySet) {
        self.policy = policy
        self.keys = keys
    }

    /// Why no keys could be had; says what was tried.
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// Fetches the JWKS (and keeps it in the cache file); when that fails, takes the keys `previous` held for the same
    /// URL, else the cache file's. Throws when none of these gives keys.
    func load(previous: IssuerKeys? = nil) async throws(Unavailable) {
        let fetched: Result<[TokenKey], Unavailable> = await fetch()
        switch fetched {
        case .success(let found):
            keys.replace(with: found)
        case .failure(let failure):
            if let previous, previous.policy.jwksURL == policy.jwksURL, case let held = previous.keys.all, !held.isEmpty {
                keys.replace(with: held)
            } else if let cached = FileManager.default.contents(atPath: policy.jwksCache),
                      let found = try? JSONWebKeySet.keys(Array(cached)) {
                keys.replace(with: found)
            } else {
                throw Unavailable(description: "\(failure.description); no cached keys at \(policy.jwksCache)")
            }
        }
    }

    /// Fetches the JWKS again unless that was done less than `refreshInterval` ago; true when the keys were replaced.
    func refresh() async -> Bool {
        let task = state.withLock { state -> Task<Bool, Never>? in
            if let fetching = state.fetching { return fetching }
            if let last = state.lastFetch, ContinuousClock.now - last < Self.refreshInterval { return nil }
            state.lastFetch = .now
            let task = Task { () -> Bool in
                guard case .success(let found) = await self.fetch() else { return false }
                self.keys.replace(with: found)
                return true
            }
            state.fetching = task
            return task
        }
        guard let task else { return false }
        let refreshed = await task.value
        state.withLock { $0.fetching = nil }
        return refreshed
    }

    /// One GET of the JWKS URL, no redirects, the body bounded; the document is written to the cache file.
    private func fetch() async -> Result<[TokenKey], Unavailable> {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        if let ca = policy.jwksCA {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(ca)
            configuration.tlsConfiguration = tls
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let result = await fetch(with: client)
        try? await client.shutdown()
        return result
    }

    private func fetch(with client: HTTPClient) async -> Result<[TokenKey], Unavailable> {
        do {
            var request = HTTPClientRequest(url: policy.jwksURL)
            request.headers.add(name: "Accept", value: "application/json")
            let response = try await client.execute(request, timeout: Self.fetchTimeout)
            guard response.status == .ok else {
                return .failure(Unavailable(description: "GET \(policy.jwksURL) answered \(response.status.code)"))
            }
            let body = try await response.body.collect(upTo: JSONWebKeySet.maxBytes)
            let bytes = Array(body.readableBytesView)
            let found = try JSONWebKeySet.keys(bytes)
            keepCached(bytes)
            return .success(found)
        } catch let failure as JSONWebKeySet.Unusable {
            return .failure(Unavailable(description: "\(policy.jwksURL): \(failure.description)"))
        } catch {
            return .failure(Unavailable(description: "cannot fetch \(policy.jwksURL): \(error)"))
        }
    }

    private func keepCached(_ bytes: [UInt8]) {
        let url = URL(fileURLWithPath: policy.jwksCache)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(bytes).write(to: url, options: .atomic)
    }

    /// The keys of every `jwt` source of a plan, by source name.
    static func of(_ sources: SourceTable) -> [String: IssuerKeys] {
        sources.sources.reduce(into: [:]) { found, source in
            if case .jwt(let policy) = source.config.verify.secrets, let keys = source.verifier.issuerKeys {
                found[source.name] = IssuerKeys(policy: policy, keys: keys)
            }
        }
    }

    /// Loads every source's keys; the problems name each source whose keys could not be had.
    static func loadAll(_ issuers: [String: IssuerKeys], sources: [SourceConfig], previous: [String: IssuerKeys] = [:]) async -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        for (index, source) in sources.enumerated() {
            guard let issuer = issuers[source.name] else { continue }
            do {
                try await issuer.load(previous: previous[source.name])
            } catch {
                problems.append(ConfigProblem("sources[\(index)].verify.jwksUrl", error.description))
            }
        }
        return problems
    }
}
