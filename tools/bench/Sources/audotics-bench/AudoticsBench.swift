import ArgumentParser

/// The benchmark executable: one subcommand per thing measured.
@main
struct AudoticsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audotics-bench",
        abstract: "Audotics benchmarks. Build in release mode: swift run -c release audotics-bench <subcommand>.",
        subcommands: [CodecCommand.self, RPCServerCommand.self, ServicesCommand.self]
    )
}
