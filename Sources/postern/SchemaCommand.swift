import ArgumentParser
import PosternCore

/// `postern schema list|show NAME`: the built-in schemas a source can name in `schema:`, and their contents.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "List the built-in JSON Schemas, or print one.",
        subcommands: [List.self, Show.self], defaultSubcommand: List.self)

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
}
