import ArgumentParser
import Foundation
import PosternCore

/// `postern tail`: the gateway's decisions as they are made, one line each, from the admin API's live stream.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail", abstract: "Follow the gateway's decisions live: accepted and refused requests.")

    @OptionGroup var connection: AdminConnection

    @Option(help: "Only this source's decisions.")
    var source: String?

    @Flag(help: "Only refused requests.")
    var refused = false

    @Flag(help: "One JSON object per line, as the stream carries it.")
    var json = false

    func run() async throws {
        let (url, token) = try connection.resolve()
        let client = AdminClient(url: url, token: token)
        var query = [refused ? "outcome=refused" : nil, source.map { "source=\($0.percentEncoded)" }].compactMap { $0 }.joined(separator: "&")
        if !query.isEmpty { query = "?" + query }
        let colour = isatty(STDOUT_FILENO) == 1
        var reader = ServerSentEvents()
        var standardError = FileHandle.standardError
        while true {
            do {
                try await client.decisions(query, reader: &reader) { event in
                    switch event.event {
                    case "decision": printNow(json ? event.data : Self.line(event.data, colour: colour))
                    case "gap": print("… some decisions were missed while disconnected", to: &standardError)
                    default: break
                    }
                }
            } catch let refused as AdminClient.Refused {
                throw CommandFailure(refused.description)
            } catch {
                print("stream dropped (\(error)); reconnecting", to: &standardError)
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// `13:02:07.412  refused  401  invalid_signature  cognigy  POST /hooks/cognigy  0.8 ms  10.0.0.7`
    static func line(_ data: String, colour: Bool) -> String {
        guard case .object(let fields)? = try? JSONParser.parse(Array(data.utf8)) else { return data.escapingControlCharacters }
        func text(_ key: String) -> String {
            switch fields[JSONKey(key)] {
            case .string(let value)?: value
            case .number(let value)?: value.text
            default: "-"
            }
        }
        let time = text("time").split(separator: "T").last.map { String($0.dropLast()) } ?? text("time")
        let outcome = text("outcome").escapingControlCharacters
        let painted = !colour ? outcome : outcome == "accepted" ? "\u{1B}[32m\(outcome)\u{1B}[0m" : "\u{1B}[31m\(outcome)\u{1B}[0m"
        let rest = [text("status"), text("reason"), text("source"), "\(text("method")) \(text("path"))",
                    "\(text("latencyMs")) ms", text("caller"), text("eventId")]
        return ([time.escapingControlCharacters, painted] + rest.map(\.escapingControlCharacters)).joined(separator: "  ")
    }
}
