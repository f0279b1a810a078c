import AudoticsTestSupport
import AudoticsHealth
import AudoticsRPC
import AudoticsTransport
import Foundation
import Testing

/// grpcio's health client (grpc_health.v1) against our server over h2c.
@Suite("HealthService with grpcio's health client", .serialized)
struct HealthPeerTests {
    @Test("Check and Watch, including a change made while grpcio watches")
    func grpcioHealthClient() async throws {
        let health = HealthService(statuses: ["": .serving, "grpc.testing.TestService": .serving])
        let server = try await GRPCServer(
            configuration: GRPCServerConfiguration(port: 0, threads: 1), router: RPCRouter(services: [health])
        ).start()
        let signal = FileManager.default.temporaryDirectory.appendingPathComponent("health-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: signal) }
        let port = server.port
        let peer = Task.detached {
            try PythonPeer.run(["health_reflection_client.py", "health", "--port", String(port), "--signal", signal.path])
        }
        // The script creates the signal file once its Watch has the first response; then flip the status.
        for _ in 0..<1000 where !FileManager.default.fileExists(atPath: signal.path) {
            try await Task.sleep(for: .milliseconds(10))
        }
        health.setStatus(.notServing, for: "grpc.testing.TestService")
        let output = try await peer.value
        try await server.stop()
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains("\n7 passed, 0 failed"), "\(output.text)")
    }
}
