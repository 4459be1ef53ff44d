import Foundation
import NIOSSL
import PosternCore
import Synchronization

/// The TLS context a listener hands to each new connection. A reload re-reads the certificate, key and client CA
/// directory and swaps the context; established connections keep theirs. A reload that fails keeps the last good
/// context and remembers why, for `/readyz` and `/metrics`.
public final class TLSContextStore: Sendable {
    /// Why a reload failed: the file and the reason.
    public struct ReloadFailure: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var reason: String
        public var description: String { "\(file): \(reason)" }
    }

    private struct State {
        var context: NIOSSLContext
        var fingerprint: String
        var lastFailure: ReloadFailure?
    }

    public let settings: TLSSettings
    private let state: Mutex<State>

    /// Loads the files once; a listener whose files are bad at start does not start.
    public init(_ settings: TLSSettings) throws(ReloadFailure) {
        self.settings = settings
        let context = try Self.makeContext(settings)
        state = Mutex(State(context: context, fingerprint: Self.fingerprint(settings), lastFailure: nil))
    }

    public var currentContext: NIOSSLContext { state.withLock { $0.context } }

    public var lastFailure: ReloadFailure? { state.withLock { $0.lastFailure } }

    /// Reloads when any file changed since the last load (or always, when `force`); returns nil when nothing was
    /// done, else the outcome.
    @discardableResult
    public func reload(force: Bool = false) -> Result<Void, ReloadFailure>? {
        let fingerprint = Self.fingerprint(settings)
        guard force || fingerprint != state.withLock({ $0.fingerprint }) else { return nil }
        do {
            let context = try Self.makeContext(settings)
            state.withLock { $0 = State(context: context, fingerprint: fingerprint, lastFailure: nil) }
            return .success(())
        } catch {
            state.withLock {
                $0.fingerprint = fingerprint
                $0.lastFailure = error
            }
            return .failure(error)
        }
    }

    static func makeContext(_ settings: TLSSettings) throws(ReloadFailure) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(settings.certificate)
        } catch {
            throw ReloadFailure(file: settings.certificate, reason: "not a readable PEM certificate chain (\(error))")
        }
        do {
            key = try NIOSSLPrivateKey(file: settings.privateKey, format: .pem)
        } catch {
            throw ReloadFailure(file: settings.privateKey, reason: "not a readable PEM private key")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        // The library's default minimum is TLS 1.0.
        configuration.minimumTLSVersion = settings.minimumVersion == "1.3" ? .tlsv13 : .tlsv12
        if let directory = settings.clientCA {
            configuration.trustRoots = .certificates(try loadCertificates(in: directory))
            configuration.certificateVerification = settings.clientAuth == .required ? .noHostnameVerification : .optionalVerification
            configuration.sendCANameList = true
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ReloadFailure(file: settings.certificate, reason: "the certificate and key do not make a TLS context (\(error))")
        }
    }

    /// Every certificate of every `.pem`/`.crt` file in the directory; any bad file fails the whole load.
    static func loadCertificates(in directory: String) throws(ReloadFailure) -> [NIOSSLCertificate] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw ReloadFailure(file: directory, reason: "the client CA directory cannot be read")
        }
        var certificates: [NIOSSLCertificate] = []
        for name in names where name.hasSuffix(".pem") || name.hasSuffix(".crt") {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                let found = try NIOSSLCertificate.fromPEMFile(path)
                guard !found.isEmpty else { throw ReloadFailure(file: path, reason: "holds no certificate") }
                certificates += found
            } catch let failure as ReloadFailure {
                throw failure
            } catch {
                throw ReloadFailure(file: path, reason: "not a valid PEM certificate")
            }
        }
        guard !certificates.isEmpty else { throw ReloadFailure(file: directory, reason: "holds no CA certificate") }
        return certificates
    }

    /// Names, sizes and modification times of every file a reload reads.
    static func fingerprint(_ settings: TLSSettings) -> String {
        var paths = [settings.certificate, settings.privateKey]
        if let directory = settings.clientCA {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            paths += names.sorted().map { (directory as NSString).appendingPathComponent($0) }
        }
        return paths.map { path in
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let size = attributes?[.size] as? Int ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
            return "\(path)|\(size)|\(modified)"
        }.joined(separator: "\n")
    }
}
