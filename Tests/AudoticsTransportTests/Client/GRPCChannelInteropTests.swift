import AudoticsTestSupport
import AudoticsRPC
import AudoticsTLS
import AudoticsTransport
import Testing

/// Our client against a real peer: the interop cases run by `GRPCChannel` against Python grpcio's TestService
/// server (Tests/Peers/interop_server.py) over h2c and over TLS.
@Suite("gRPC client interop with a grpcio server", .serialized)
struct GRPCChannelInteropTests {
    @Test("our client passes the interop cases against grpcio over h2c")
    func interopCases() async throws {
        let server = try await PythonServerPeer.start("interop_server.py")
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port)
        await Self.runAll(on: channel)
        await channel.close()
        await server.stop()
    }

    @Test("our client passes the interop cases against grpcio over TLS")
    func interopCasesOverTLS() async throws {
        let certificates = try TestCertificates()
        let server = try await PythonServerPeer.start(
            "interop_server.py", ["--tls-cert", certificates.serverCertificateFile, "--tls-key", certificates.serverKeyFile])
        let clientTLS = try ReloadableTLSContext(configuration: .client(trustRootsFile: certificates.caFile))
        let channel = GRPCChannel(
            endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)],
            configuration: GRPCChannelConfiguration(security: .tls(context: clientTLS, serverHostname: "localhost")))
        await Self.runAll(on: channel)
        await channel.close()
        await server.stop()
    }

    static func runAll(on channel: GRPCChannel) async {
        for name in InteropCases.names {
            do {
                try await InteropCases.run(name, on: channel, serverChecksCompression: false)
            } catch {
                Issue.record("\(name): \(error)")
            }
        }
    }
}
