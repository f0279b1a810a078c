import AudoticsInterop
import AudoticsRPC
import AudoticsTransport
import AudoticsTestSupport
import Foundation
import Testing

/// Our server against a real peer: Python's grpcio client runs the interop cases over h2c.
@Suite("gRPC server interop with grpcio (h2c)", .serialized)
struct GRPCServerInteropTests {
    @Test("grpcio passes the interop cases against our server")
    func interopCases() async throws {
        let server = try await GRPCServer(
            configuration: GRPCServerConfiguration(port: 0, threads: 1),
            router: RPCRouter(services: [InteropTestService()])
        ).start()
        let port = server.port
        let output = try await Task.detached { try PythonPeer.run(["interop_client.py", "--port", String(port)]) }.value
        try await server.stop()
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains(" passed, 0 failed"), "\(output.text)")
    }
}

@Suite("graceful shutdown", .serialized)
struct GracefulShutdownTests {
    @Test("stopping the server lets an in-flight call finish and refuses new ones")
    func inFlightCallsFinish() async throws {
        let server = try await GRPCServer(
            configuration: GRPCServerConfiguration(port: 0, threads: 1),
            router: RPCRouter(services: [InteropTestService()])
        ).start()
        let peer = try PythonPeer.start(["graceful_client.py", "--port", String(server.port)])
        try await peer.waitForLine("started")
        try await server.stop()
        let output = try await peer.finish()
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains("finished with 5 responses"), "\(output.text)")
    }
}
