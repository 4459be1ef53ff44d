/// One AWS access key pair a source accepts.
public struct SigV4Credential: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String

    public init(accessKeyID: String, secretAccessKey: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }
}

/// How a source accepts AWS Signature Version 4 requests: the scope, the keys and the options.
public struct SigV4Policy: Sendable {
    /// How the path is canonicalized.
    public enum PathRule: Sendable {
        /// Every service but S3: remove dot segments and repeated slashes, then percent-encode the path as sent
        /// (so `%` in it is encoded again).
        case normalized
        /// S3 style: the path as sent, neither normalized nor double-encoded.
        case asSent
    }

    public var region: String
    public var service: String
    /// The accepted key pairs; several for rotation.
    public var credentials: [SigV4Credential]
    /// Seconds the request time may be behind ours (and ahead, unless `futureTolerance` says otherwise).
    public var tolerance: Int
    /// Seconds the request time may be ahead of ours, when not `tolerance`.
    public var futureTolerance: Int? = nil
    public var pathRule: PathRule
    /// Whether `X-Amz-Content-Sha256: UNSIGNED-PAYLOAD` is accepted.
    public var allowsUnsignedPayload: Bool

    public init(region: String, service: String, credentials: [SigV4Credential], tolerance: Int = 300,
                pathRule: PathRule = .normalized, allowsUnsignedPayload: Bool = false) {
        self.region = region
        self.service = service
        self.credentials = credentials
        self.tolerance = tolerance
        self.pathRule = pathRule
        self.allowsUnsignedPayload = allowsUnsignedPayload
    }
}
