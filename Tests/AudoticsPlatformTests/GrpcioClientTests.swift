import AudoticsTestSupport
import Testing

/// A real gRPC peer: Python grpcio calls the three services over TLS with stubs generated from our protos.
@Suite("Services with a grpcio client", .serialized)
struct GrpcioClientTests {
    @Test("grpcio registers, searches, builds a playlist and reads rich errors")
    func grpcio() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let track = platform.catalog.tracks[99]
        let arguments = [
            "services_client.py", "--port", String(platform.server.port), "--tls-ca", platform.certificates.caFile,
            "--track-id", track.id, "--query", "\(track.title) \(track.artistName)",
        ]
        let output = try await Task.detached { try PythonPeer.run(arguments) }.value
        await platform.stop()
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains(" passed, 0 failed"), "\(output.text)")
    }
}
