import ArgumentParser
import PosternCore
import PosternStore

/// `postern backup`: a consistent copy of the SQLite store, taken while the gateway runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the SQLite store consistently while the gateway runs.",
        discussion: """
            The copy holds every event committed before the backup began. To restore: stop the gateway, copy the file \
            over the store's path, start it. A PostgreSQL store is backed up with pg_dump (docs/operations.md).
            """)

    @OptionGroup var options: ConfigOption

    @Option(help: "The file to write; it must not exist.")
    var to: String

    func run() async throws {
        let view = try options.loadStoreView()
        guard case .sqlite(let path) = view.store else {
            throw CommandFailure("the store is PostgreSQL: back it up with pg_dump (see docs/operations.md, Backups)")
        }
        do {
            let events = try await SQLiteBackup.copy(path, to: to)
            print("backed up \(path) to \(to): \(events) events")
        } catch let refusal as SQLiteBackup.Refusal {
            throw CommandFailure(refusal.description)
        }
    }
}
