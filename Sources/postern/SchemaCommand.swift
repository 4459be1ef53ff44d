import ArgumentParser
import Foundation
import PosternCore

/// `postern schema list|show NAME|check FILE [INSTANCE …]`: the built-in schemas a source can name in `schema:`, their
/// contents, and a schema file compiled and sample instances validated offline, with the gateway's own messages.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "List the built-in JSON Schemas, or print one.",
        subcommands: [List.self, Show.self, Check.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the names of the built-in schemas.")

        func run() {
            for name in BuiltInSchemas.byName.keys.sorted() { print(name) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a built-in schema as JSON.")

        @Argument(help: "The schema's name, as a source's `schema:` names it.")
        var name: String

        func run() throws {
            guard let text = BuiltInSchemas.byName[name] else {
                throw ValidationError("no built-in schema is named \"\(name)\" (known: \(BuiltInSchemas.byName.keys.sorted().joined(separator: ", ")))")
            }
            print(text)
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compile a JSON Schema file (or a built-in name) and validate instance files against it.",
            discussion: "Prints one line per instance, as the gateway would answer it; exits 1 when any is refused, 2 when the schema is.")

        @Argument(help: "A JSON Schema file, or a built-in schema's name.")
        var schema: String

        @Argument(help: "JSON instance files to validate.")
        var instances: [String] = []

        @Flag(help: "Assert `format` (as a source's formatAssertion: true) instead of treating it as an annotation.")
        var formatAssertion = false

        func run() throws {
            let text: String
            if let builtIn = BuiltInSchemas.byName[schema] {
                text = builtIn
            } else {
                guard let file = try? String(contentsOfFile: schema, encoding: .utf8) else {
                    throw ValidationError("\(schema) is neither a built-in schema nor a readable file")
                }
                text = file
            }
            let compiled: JSONSchema
            do {
                compiled = try JSONSchema.compile(json: text, assertsFormats: formatAssertion)
            } catch {
                print("\(schema): invalid schema at \(error.pointer.isEmpty ? "/" : error.pointer): \(error.message)")
                throw ExitCode(2)
            }
            print("\(schema): ok")
            var refused = false
            for path in instances {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("\(path): cannot be read")
                    refused = true
                    continue
                }
                do {
                    try compiled.validate(try JSONParser.parse(Array(data)))
                    print("\(path): valid")
                } catch let violation as JSONSchema.Violation {
                    print("\(path): 422 schema_violation: \((violation.pointer.isEmpty ? "/" : violation.pointer).escapingControlCharacters): \(violation.message.escapingControlCharacters)")
                    refused = true
                } catch let failure as JSONParser.Failure {
                    print("\(path): 400 malformed_json: \(failure.message)")
                    refused = true
                }
            }
            if refused { throw ExitCode(1) }
        }
    }
}
