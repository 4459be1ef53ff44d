import ArgumentParser
import Foundation
import PosternCore
import PosternDelivery
import PosternServer
import PosternVerify

/// `postern genesys`: set up and check Genesys Cloud Open Messaging with a destination's OAuth client.
struct GenesysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genesys", abstract: "Provision and test Genesys Cloud Open Messaging.",
        subcommands: [Provision.self, Test.self, Status.self])

    /// The Genesys destination named `name` in the configuration, or a clear error.
    static func settings(_ config: GatewayConfig, destination name: String) throws -> GenesysSettings {
        guard let destination = config.destination(named: name) else {
            throw ValidationError("no destination is named \"\(name)\"")
        }
        guard let genesys = destination.genesys else {
            throw ValidationError("destination \"\(name)\" is not `type: genesys`")
        }
        return genesys
    }

    /// Runs a Genesys API call, turning its refusal into a message and exit code 1.
    static func calling<T>(_ body: (GenesysAPI) async throws -> T, settings: GenesysSettings) async throws -> T {
        do {
            return try await DeliveryClient.with { client in try await body(GenesysAPI(settings: settings, client: client)) }
        } catch let failure as GenesysAPI.Failure {
            var standardError = FileHandle.standardError
            print("postern genesys: \(failure)", to: &standardError)
            throw ExitCode(1)
        }
    }

    /// `postern genesys provision`: creates an Open Messaging integration and prints the source block for it.
    struct Provision: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an Open Messaging integration whose outbound webhooks come to this gateway.")

        @OptionGroup var options: ConfigOption

        @Option(help: "The genesys destination whose OAuth client and region to use.")
        var destination: String

        @Option(help: "The name of the source to print for the integration's outbound webhooks.")
        var source: String

        @Option(help: "The public URL of that source, as Genesys will call it (https://gateway.example/genesys/messages).")
        var webhookURL: String

        @Option(help: "The integration's name in Genesys Cloud (default: Postern <source>).")
        var name: String?

        @Option(name: .customLong("webhook-header"), help: "NAME=VALUE: a static header Genesys sends with every outbound webhook (repeatable).")
        var webhookHeaders: [String] = []

        /// Genesys calls outbound webhooks on https and port 443 only (Genesys Cloud Resource Center, "Configure an
        /// Open Messaging integration").
        static func checkedWebhookURL(_ text: String) throws -> URL {
            guard let url = URL(string: text), url.scheme?.lowercased() == "https", let host = url.host, !host.isEmpty,
                  url.port == nil || url.port == 443 else {
                throw ValidationError("--webhook-url must be an https URL on port 443, the only kind Genesys Cloud calls (found \(text))")
            }
            return url
        }

        func run() async throws {
            let settings = try GenesysCommand.settings(try options.loadPlan().config, destination: destination)
            let url = try Self.checkedWebhookURL(webhookURL)
            var headers: [String: String] = [:]
            for header in webhookHeaders {
                guard let equals = header.firstIndex(of: "="), equals != header.startIndex else {
                    throw ValidationError("--webhook-header must be NAME=VALUE, found \"\(header)\"")
                }
                headers[String(header[..<equals])] = String(header[header.index(after: equals)...])
            }
            var random = SystemRandomNumberGenerator()
            let secret = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }).base64EncodedString()
            let integrationName = name ?? "Postern \(source)"
            let integration = try await GenesysCommand.calling({ api in
                try await api.createOpenMessagingIntegration(name: integrationName, webhookURL: webhookURL, secret: secret,
                                                             headers: headers)
            }, settings: settings)
            let id = integration.value(at: "/id").flatMap { if case .string(let text) = $0 { text } else { nil } } ?? "?"
            print("""
                # Open Messaging integration "\(integrationName)" created, id \(id).
                # Set `integrationId: \(id)` on destination \(destination), and add this source: Genesys signs its
                # outbound webhooks with the secret below (keep it out of version control, e.g. in ${GENESYS_WEBHOOK_SECRET}).
                  - name: \(source)
                    path: \(url.path.isEmpty ? "/" : url.path)
                    verify:
                      preset: genesys-open-messaging
                      secrets: ["\(secret)"]
                # Next: in Architect, create an Inbound Message flow and attach it to this integration under
                # Admin > Message > Message Routing, so customers' messages reach a queue.
                """)
        }
    }

    /// `postern genesys test`: sends a signed synthetic Open Messaging webhook to the gateway's own source.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a correctly signed synthetic Open Messaging webhook to a source and report the verdict.")

        @OptionGroup var options: ConfigOption

        @Option(help: "The source (preset genesys-open-messaging) to send to.")
        var source: String

        @Option(help: "The gateway's base URL (default: the first listener of the configuration).")
        var url: String?

        func run() async throws {
            let config = try options.loadPlan().config
            guard let sourceConfig = config.sources.first(where: { $0.name == source }) else {
                throw ValidationError("no source is named \"\(source)\"")
            }
            guard case .hmac(let descriptor, let keys, _) = sourceConfig.verify.secrets, let key = keys.first else {
                throw ValidationError("source \"\(source)\" has no HMAC secret to sign with")
            }
            let body = Array(GenesysCommand.syntheticMessage().utf8)
            let headers = HMACSigner(descriptor: descriptor).headers(body: body, keyBytes: key, timestamp: Date())
            let listener = config.listeners[0]
            let base = url ?? "\(listener.tls == nil ? "http" : "https")://\(listener.address)"
            let request = OutgoingRequest(url: base + sourceConfig.path, headers: [("Content-Type", "application/json")] + headers,
                                          body: body)
            let answer = try await DeliveryClient.with { client in try await client.send(request, timeout: .seconds(10)) }
            let text = String(decoding: answer.body, as: UTF8.self)
            print("\(answer.status) \(text.escapingControlCharacters)")
            if !(200..<300).contains(answer.status) { throw ExitCode(1) }
        }
    }

    /// `postern genesys status`: the integration a destination delivers to.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the Open Messaging integration of a destination.")

        @OptionGroup var options: ConfigOption

        @Option(help: "The genesys destination.")
        var destination: String

        func run() async throws {
            let settings = try GenesysCommand.settings(try options.loadPlan().config, destination: destination)
            let integration = try await GenesysCommand.calling({ api in
                try await api.openMessagingIntegration(id: settings.integrationId)
            }, settings: settings)
            print(integration.jsonText.escapingControlCharacters)
        }
    }

    /// An Open Messaging outbound message as Genesys Cloud sends it to the integration's webhook.
    static func syntheticMessage() -> String {
        let time = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        let id = UUID().lowercasedString
        return """
            {"id":"\(id)","channel":{"id":"postern-test","platform":"Open","type":"Private","to":{"id":"postern-test-user"},\
            "from":{"nickname":"Postern test","id":"postern-test","idType":"Opaque"},"time":"\(time)","messageId":"\(id)"},\
            "type":"Text","text":"Postern connectivity test","direction":"Outbound"}
            """
    }
}
