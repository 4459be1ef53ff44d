import ArgumentParser
import Foundation
import PosternCore
import PosternVerify

/// `postern sign`: print the headers a correct sender would send with the body read from standard input.
struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign", abstract: "Print the headers a correct sender sends for the body on standard input.")

    @Option(help: "The preset whose convention to follow, e.g. stripe or cognigy-webhook.")
    var preset: String

    @Option(help: "The secret (for basic: user:password).")
    var secret: String

    @Option(help: "The signing time in unix seconds; now by default.")
    var timestamp: Int64?

    @Option(help: "The message id, for conventions that sign one (standard-webhooks).")
    var id: String?

    func run() async throws {
        guard let known = Preset.all[preset] else {
            throw ValidationError("unknown preset \"\(preset)\"; known: \(Preset.all.keys.sorted().joined(separator: ", "))")
        }
        let body = Array(FileHandle.standardInput.readDataToEndOfFile())
        for line in try headers(known.method, body: body) { print("\(line.name): \(line.value)") }
    }

    private func headers(_ method: Preset.Method, body: [UInt8]) throws -> [(name: String, value: String)] {
        switch method {
        case .hmac(let descriptor):
            guard let key = descriptor.keyBytes(for: secret) else {
                throw ValidationError("the secret is not valid for \(preset) (\(descriptor.secretEncoding.rawValue) encoding)")
            }
            let time = timestamp.map { Date(timeIntervalSince1970: TimeInterval($0)) } ?? Date()
            let signer = HMACSigner(descriptor: descriptor)
            if let id { return signer.headers(body: body, keyBytes: key, timestamp: time, id: id) }
            return signer.headers(body: body, keyBytes: key, timestamp: time)
        case .bearer:
            return [("Authorization", "Bearer \(secret)")]
        case .basic:
            return [("Authorization", "Basic \(Data(secret.utf8).base64EncodedString())")]
        case .sigv4:
            throw ValidationError("\(preset) signs method, path, query and headers too: sign with an AWS SDK (e.g. botocore's SigV4Auth)")
        case .jwt:
            throw ValidationError("\(preset) takes tokens from the identity provider")
        case .oauth:
            throw ValidationError("\(preset) takes access tokens from the gateway's token endpoint (oauth.tokenPath)")
        case .apiKey, .none:
            throw ValidationError("\(preset) has nothing to sign")
        }
    }
}
