import ArgumentParser
import AudoticsInterop
import AudoticsRPC
import AudoticsTransport

/// `audotics interop-server`: the gRPC interop `TestService`, for checks with other gRPC implementations.
struct InteropServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interop-server",
        abstract: "Serve grpc.testing.TestService for gRPC interoperability checks.",
        discussion: "Without TLS flags the server speaks plaintext HTTP/2 (h2c, prior knowledge): for local use only."
    )

    @Option(name: .long, help: "TCP port to listen on (0 picks a free one).")
    var port: Int

    @Option(name: .long, help: "Address to bind.")
    var host = "127.0.0.1"

    func run() async throws {
        let server = try await GRPCServer(
            configuration: GRPCServerConfiguration(host: host, port: port),
            router: RPCRouter(services: [InteropTestService()])
        ).start()
        print("interop-server listening on \(host):\(server.port) (h2c)")
        try await server.waitUntilClosed()
    }
}
