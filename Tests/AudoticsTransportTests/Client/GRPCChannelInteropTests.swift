import AudoticsTestSupport
import AudoticsRPC
import AudoticsTransport
import Testing

/// Our client against a real peer: the interop cases run by `GRPCChannel` against Python grpcio's TestService
/// server (Tests/Peers/interop_server.py) over h2c.
@Suite("gRPC client interop with a grpcio server (h2c)", .serialized)
struct GRPCChannelInteropTests {
    @Test("our client passes the interop cases against grpcio")
    func interopCases() async throws {
        let server = try await PythonServerPeer.start("interop_server.py")
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port)
        for name in InteropCases.names {
            do {
                try await InteropCases.run(name, on: channel)
            } catch {
                Issue.record("\(name): \(error)")
            }
        }
        await channel.close()
        await server.stop()
    }
}
