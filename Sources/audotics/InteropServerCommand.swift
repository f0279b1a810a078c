import ArgumentParser
import AudoticsHealth
import AudoticsHealthAPI
import AudoticsInterop
import AudoticsInteropAPI
import AudoticsRPC
import AudoticsReflection
import AudoticsTLS
import AudoticsTransport

/// `audotics interop-server`: the gRPC interop `TestService`, for checks with other gRPC implementations.
struct InteropServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interop-server",
        abstract: "Serve grpc.testing.TestService for gRPC interoperability checks.",
        discussion: """
            With --tls-cert and --tls-key the server speaks TLS 1.2+ with ALPN h2 (add --tls-client-ca to require \
            client certificates); without them, plaintext HTTP/2 (h2c, prior knowledge), for local use only.
            """
    )

    @Option(name: .long, help: "TCP port to listen on (0 picks a free one).")
    var port: Int

    @Option(name: .long, help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "PEM certificate chain file (enables TLS).")
    var tlsCert: String?

    @Option(name: .long, help: "PEM private key file of the certificate.")
    var tlsKey: String?

    @Option(name: .long, help: "PEM CA file: require client certificates signed by it (mTLS).")
    var tlsClientCa: String?

    @Option(name: .long, help: "Event-loop threads (default: one per core).")
    var threads: Int?

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsClientCa != nil && tlsCert == nil { throw ValidationError("--tls-client-ca needs --tls-cert and --tls-key") }
    }

    func run() async throws {
        var configuration = GRPCServerConfiguration(host: host, port: port)
        if let threads { configuration.threads = threads }
        if let tlsCert, let tlsKey {
            configuration.tls = try ReloadableTLSContext(
                configuration: .server(certificateChainFile: tlsCert, privateKeyFile: tlsKey, clientTrustRootsFile: tlsClientCa))
        }
        let health = HealthService()
        health.setStatus(.serving, for: TestService.name)
        let services: [any RPCService] = [InteropTestService(), health]
        let reflection = ReflectionService(files: [TestProtoFile.descriptor, HealthProtoFile.descriptor], listing: services)
        let router = RPCRouter(services: services + [reflection])
        let server = try await GRPCServer(configuration: configuration, router: router).start()
        print("interop-server listening on \(host):\(server.port) (\(configuration.tls == nil ? "h2c" : "TLS, h2"))")
        try await server.waitUntilClosed()
    }
}
