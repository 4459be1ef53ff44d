import ArgumentParser

/// The `postern` command line: serve the gateway, check a configuration, sign test requests, inspect stored events
/// and deliveries, replay.
@main
struct PosternCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postern",
        abstract: "A secure webhook ingress gateway.",
        version: PosternVersion.description,
        subcommands: [ServeCommand.self, CheckCommand.self, SignCommand.self, EventsCommand.self, DeliveriesCommand.self, TemplateCommand.self,
                      ReplayCommand.self, GenesysCommand.self, SchemaCommand.self,
                      MigrateCommand.self, BackupCommand.self, TailCommand.self, ForwardCommand.self]
    )
}
