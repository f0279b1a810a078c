import AudoticsTestSupport
import AudoticsInterop
import AudoticsInteropAPI
import AudoticsRPC
import AudoticsTLS
import AudoticsTransport
import Testing

/// The fabric over TLS: our server with grpcio's secure channel and with our own client, and mTLS.
@Suite("gRPC over TLS", .serialized)
struct TLSTransportTests {
    static func startServer(_ certificates: TestCertificates, clientCA: String? = nil) async throws -> RunningGRPCServer {
        let tls = try ReloadableTLSContext(
            configuration: .server(
                certificateChainFile: certificates.serverCertificateFile, privateKeyFile: certificates.serverKeyFile,
                clientTrustRootsFile: clientCA))
        return try await GRPCServer(
            configuration: GRPCServerConfiguration(port: 0, threads: 1, tls: tls),
            router: RPCRouter(services: [InteropTestService()])
        ).start()
    }

    @Test("grpcio passes the interop cases against our server over TLS")
    func grpcioOverTLS() async throws {
        let certificates = try TestCertificates()
        let server = try await Self.startServer(certificates)
        let port = server.port
        let ca = certificates.caFile
        let output = try await Task.detached {
            try PythonPeer.run(["interop_client.py", "--port", String(port), "--tls-ca", ca, "--server-host-override", "localhost"])
        }.value
        try await server.stop()
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains(" passed, 0 failed"), "\(output.text)")
    }

    @Test("our client passes the interop cases against our server over TLS", arguments: InteropCases.names)
    func ourClientOverTLS(_ name: String) async throws {
        let certificates = try TestCertificates()
        let server = try await Self.startServer(certificates)
        let clientTLS = try ReloadableTLSContext(configuration: .client(trustRootsFile: certificates.caFile))
        let channel = GRPCChannel(
            endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)],
            configuration: GRPCChannelConfiguration(security: .tls(context: clientTLS, serverHostname: "localhost")))
        try await InteropCases.run(name, on: channel)
        await channel.close()
        try await server.stop()
    }

    @Test("with client certificates required, a client without one fails and one signed by the CA succeeds")
    func mutualTLS() async throws {
        let certificates = try TestCertificates()
        let server = try await Self.startServer(certificates, clientCA: certificates.caFile)
        let anonymous = GRPCChannel(
            endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)],
            configuration: GRPCChannelConfiguration(
                security: .tls(context: try ReloadableTLSContext(configuration: .client(trustRootsFile: certificates.caFile)))))
        let error = await #expect(throws: RPCError.self) {
            _ = try await TestServiceClient(transport: anonymous).emptyCall(Empty(), options: CallOptions(timeout: .seconds(5)))
        }
        #expect(error?.code == .unavailable)
        await anonymous.close()

        var withCertificate = TLSConfiguration.client(trustRootsFile: certificates.caFile)
        withCertificate.certificateChainFile = certificates.clientCertificateFile
        withCertificate.privateKeyFile = certificates.clientKeyFile
        let authenticated = GRPCChannel(
            endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)],
            configuration: GRPCChannelConfiguration(security: .tls(context: try ReloadableTLSContext(configuration: withCertificate))))
        _ = try await TestServiceClient(transport: authenticated).emptyCall(Empty(), options: CallOptions(timeout: .seconds(5)))
        await authenticated.close()
        try await server.stop()
    }
}
