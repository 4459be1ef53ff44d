/// One webhook listener: an address, plain or with TLS.
public struct ListenerConfig: Sendable, Equatable {
    public var address: ListenAddress
    public var tls: TLSSettings?

    public init(address: ListenAddress, tls: TLSSettings? = nil) {
        self.address = address
        self.tls = tls
    }
}

/// A TLS listener's files and policy. Files are re-read on reload, so certificates and CAs rotate without a restart.
public struct TLSSettings: Sendable, Equatable {
    /// Whether a client certificate is asked for.
    public enum ClientAuth: String, Sendable, CaseIterable {
        case none, optional, required
    }

    /// PEM certificate chain file, server certificate first.
    public var certificate: String
    /// PEM private key file.
    public var privateKey: String
    /// `1.2` (default) or `1.3`.
    public var minimumVersion: String
    /// A directory of PEM CA certificates trusted for client certificates.
    public var clientCA: String?
    public var clientAuth: ClientAuth

    public init(certificate: String, privateKey: String, minimumVersion: String = "1.2", clientCA: String? = nil,
                clientAuth: ClientAuth = .none) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.minimumVersion = minimumVersion
        self.clientCA = clientCA
        self.clientAuth = clientAuth
    }
}
