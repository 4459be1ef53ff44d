import ArgumentParser
import Foundation
import PosternCore
import PosternDelivery

/// `postern forward`: a developer's machine follows a deployed gateway's accepted events through its admin API and
/// posts each to a local service, with the body and the kept original headers, signed afresh with a local Standard
/// Webhooks secret when one is given. Where it got to is kept in a local file, so a dropped connection or a restart
/// resumes without losing or repeating an event; events go one at a time, in the order they were received.
struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward", abstract: "Post a gateway's accepted events to a local service, as they arrive.")

    @OptionGroup var connection: AdminConnection

    @Option(help: "Where to post each event, e.g. http://localhost:3000/webhooks.")
    var to: String

    @Option(help: "Only this source's events.")
    var source: String?

    @Option(help: "A Standard Webhooks secret (whsec_…) to sign each forwarded request with (webhook-id, -timestamp, -signature).")
    var secret: String?

    @Option(help: "On the first run, start from events received since: 10m, 2h, an RFC 3339 time (default: now).")
    var since: TimeArgument?

    @Option(name: .customLong("state-file"), help: "Where to keep the position (default: .postern-forward[-SOURCE].json here).")
    var stateFile: String?

    @Option(help: "Seconds one post to the local service may take.")
    var timeout: Int = 10

    func validate() throws {
        if let secret, StandardWebhooksSecret.keyBytes(secret) == nil {
            throw ValidationError("--secret must be a Standard Webhooks secret: whsec_ followed by base64 (24 to 64 bytes)")
        }
        guard let url = URL(string: to), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw ValidationError("--to must be an http or https URL")
        }
        guard (1...300).contains(timeout) else { throw ValidationError("--timeout must be 1 to 300 seconds") }
    }

    func run() async throws {
        let (url, token) = try connection.resolve()
        let path = stateFile ?? ".postern-forward\(source.map { "-" + $0 } ?? "").json"
        var position = try ForwardPosition.load(path, from: url, source: source) ?? ForwardPosition(
            from: url, source: source, sinceMilliseconds: (since?.date ?? Date()).millisecondsSince1970)
        let forwarder = Forwarder(admin: AdminClient(url: url, token: token), client: DeliveryClient(),
                                  destination: DestinationConfig(name: "forward", url: to, timeout: .seconds(timeout),
                                                                 signingSecret: secret), source: source)
        printNow("forwarding \(source.map { "source \($0)'s" } ?? "every") accepted event from \(url) to \(to); position in \(path)")
        let rings = forwarder.doorbell()
        for await _ in rings {
            if forwarder.stopping.isSet { break }
            do {
                try await forwarder.drain(&position) { try $0.save(path) }
            } catch is CancellationError {
                break
            } catch let refused as AdminClient.Refused where [400, 401, 403, 404].contains(refused.status) {
                throw CommandFailure(refused.description)
            } catch {
                var standardError = FileHandle.standardError
                print("cannot read the gateway's events now (\(error)); trying again", to: &standardError)
            }
        }
        printNow("stopped; position saved in \(path)")
    }
}
