import AudoticsTestSupport
import AudoticsAPI
import AudoticsHealth
import AudoticsHealthAPI
import AudoticsInterop
import AudoticsInteropAPI
import AudoticsRPC
import AudoticsReflection
import AudoticsTransport
import Testing

/// grpcio's reflection client (grpc_reflection) against our server over h2c: it lists the
/// services, builds message classes from the served descriptors and calls UnaryCall with them.
@Suite("ReflectionService with grpcio's reflection client", .serialized)
struct ReflectionPeerTests {
    @Test("grpcio resolves our services through reflection and calls them dynamically")
    func grpcioReflectionClient() async throws {
        let served: [any RPCService] = [InteropTestService(), HealthService()]
        // MusicService is described (not served): its imports reach google/api and well-known types.
        let reflection = ReflectionService(
            files: [TestProtoFile.descriptor, HealthProtoFile.descriptor, MusicProtoFile.descriptor], listing: served)
        let server = try await GRPCServer(
            configuration: GRPCServerConfiguration(port: 0, threads: 1), router: RPCRouter(services: served + [reflection])
        ).start()
        let port = server.port
        let output = try await Task.detached {
            try PythonPeer.run(["health_reflection_client.py", "reflection", "--port", String(port)])
        }.value
        try await server.stop()
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains("\n14 passed, 0 failed"), "\(output.text)")
    }
}
