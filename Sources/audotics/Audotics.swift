import ArgumentParser
import AudoticsLogging
import Foundation
import Logging

/// The one Audotics executable; each part of the platform is a subcommand.
@main
struct Audotics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audotics",
        abstract: "The Audotics music platform.",
        discussion: "Run `tools/up` to start the whole platform locally; see README.md.",
        subcommands: [GatewayCommand.self, InteropServerCommand.self, MigrateCommand.self, SeedCommand.self, ServeCommand.self, VersionCommand.self]
    )

    static func main() async {
        // Log lines carry local time; without TZ, glibc's localtime_r stats /etc/localtime for every line (one
        // syscall per request logged). TZ=":/etc/localtime" names the same zone and is read once.
        if getenv("TZ") == nil { setenv("TZ", ":/etc/localtime", 1) }
        // swift-log's line format on standard error, written by a thread of its own: a request's log line costs an
        // event loop a copy, not a write system call, and a slow reader of the log never stalls a loop.
        LoggingSystem.bootstrap { label in LineLogHandler(label: label, writer: .standardError) }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // The log lines first, then the error that ends the process.
            LineLogWriter.standardError.flush()
            exit(withError: error)
        }
    }
}
