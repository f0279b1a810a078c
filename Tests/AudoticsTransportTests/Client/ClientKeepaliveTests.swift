import AudoticsInterop
import AudoticsInteropAPI
import AudoticsRPC
import AudoticsTransport
import NIOCore
import NIOPosix
import Testing

/// Client keepalive: pings keep a healthy connection alive and detect one whose server stopped answering.
@Suite("gRPC client keepalive")
struct ClientKeepaliveTests {
    @Test("a server that accepts the connection but never answers is detected: the call fails with UNAVAILABLE", .timeLimit(.minutes(1)))
    func deadServer() async throws {
        // A TCP listener that reads and ignores everything: no SETTINGS, no PING acknowledgement, no response.
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(silent.localAddress?.port)
        let channel = GRPCChannel(
            host: "127.0.0.1", port: port,
            configuration: GRPCChannelConfiguration(keepalive: ClientKeepalive(interval: .milliseconds(100), timeout: .milliseconds(200))))
        let started = ContinuousClock.now
        let error = await InteropCases.rpcError {
            // No deadline: only keepalive can end this call.
            _ = try await TestServiceClient(transport: channel).emptyCall(Empty())
        }
        #expect(error?.code == .unavailable)
        #expect(ContinuousClock.now - started < .seconds(5))
        await channel.close()
        try await silent.close()
    }

    @Test("pings to a live server are acknowledged: a long call outlives many keepalive intervals")
    func liveServer() async throws {
        let server = try await GRPCServer(
            configuration: GRPCServerConfiguration(port: 0, threads: 1), router: RPCRouter(services: [InteropTestService()])
        ).start()
        let channel = GRPCChannel(
            host: "127.0.0.1", port: server.port,
            configuration: GRPCChannelConfiguration(keepalive: ClientKeepalive(interval: .milliseconds(50), timeout: .milliseconds(500))))
        let request = StreamingOutputCallRequest.with {
            $0.responseParameters = [.with { $0.size = 10 }, .with { $0.size = 10; $0.intervalUs = 600_000 }]
        }
        let count = try await TestServiceClient(transport: channel).streamingOutputCall(
            request, options: CallOptions(timeout: .seconds(10))
        ) { responses in
            var count = 0
            for try await _ in responses { count += 1 }
            return count
        }
        #expect(count == 2)
        await channel.close()
        try await server.stop()
    }
}
