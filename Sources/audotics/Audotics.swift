import ArgumentParser

/// The one Audotics executable; each part of the platform is a subcommand.
@main
struct Audotics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audotics",
        abstract: "The Audotics music platform.",
        discussion: "Run `tools/up` to start the whole platform locally; see README.md.",
        subcommands: [GatewayCommand.self, InteropServerCommand.self, MigrateCommand.self, SeedCommand.self, ServeCommand.self, VersionCommand.self]
    )
}
