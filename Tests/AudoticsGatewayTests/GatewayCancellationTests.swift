import AudoticsGateway
import AudoticsHTTPServer
import AudoticsInterop
import AudoticsInteropAPI
import AudoticsRPC
import AudoticsTestSupport
import AudoticsTransport
import NIOPosix
import Synchronization
import Testing

/// `grpc.testing.TestService` whose UnaryCall sleeps `responseSize` milliseconds when that is 1000 or more,
/// counting the slow calls it started and those cancelled; everything else is the interop service's.
final class SlowTestService: TestServiceProtocol {
    let interop = InteropTestService()
    let started = Atomic<Int>(0)
    let cancelled = Atomic<Int>(0)

    func unaryCall(request: SimpleRequest, context: ServerContext) async throws -> SimpleResponse {
        guard request.responseSize >= 1000 else { return try await interop.unaryCall(request: request, context: context) }
        started.add(1, ordering: .sequentiallyConsistent)
        do {
            try await Task.sleep(for: .milliseconds(Int(request.responseSize)))
        } catch {
            cancelled.add(1, ordering: .sequentiallyConsistent)
            throw error
        }
        return SimpleResponse()
    }

    func emptyCall(request: Empty, context: ServerContext) async throws -> Empty { Empty() }

    func cacheableUnaryCall(request: SimpleRequest, context: ServerContext) async throws -> SimpleResponse {
        try await interop.cacheableUnaryCall(request: request, context: context)
    }

    func streamingOutputCall(
        request: StreamingOutputCallRequest, responses: RPCWriter<StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        try await interop.streamingOutputCall(request: request, responses: responses, context: context)
    }

    func streamingInputCall(
        requests: RPCAsyncSequence<StreamingInputCallRequest>, context: ServerContext
    ) async throws -> StreamingInputCallResponse {
        try await interop.streamingInputCall(requests: requests, context: context)
    }

    func fullDuplexCall(
        requests: RPCAsyncSequence<StreamingOutputCallRequest>, responses: RPCWriter<StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        try await interop.fullDuplexCall(requests: requests, responses: responses, context: context)
    }

    func halfDuplexCall(
        requests: RPCAsyncSequence<StreamingOutputCallRequest>, responses: RPCWriter<StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        try await interop.halfDuplexCall(requests: requests, responses: responses, context: context)
    }

    func unimplementedCall(request: Empty, context: ServerContext) async throws -> Empty {
        try await interop.unimplementedCall(request: request, context: context)
    }
}

/// The gateway's task-free path under a slow service: a client that goes away cancels the service's call (the
/// stream is reset), and a deadline from the request ends the call at its time, as 504.
@Suite("Gateway: cancellation and deadlines reach the service")
struct GatewayCancellationTests {
    @Test("a client that disconnects cancels the call; X-Request-Timeout and Grpc-Timeout end it with 504")
    func cancellationAndDeadlines() async throws {
        let service = SlowTestService()
        let server = try await GRPCServer(
            configuration: GRPCServerConfiguration(port: 0, threads: 1), router: RPCRouter(services: [service])
        ).start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let channel = EventLoopAffineChannel(
            endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)], configuration: GRPCChannelConfiguration(), group: group)
        let gateway = try Gateway(services: [TestService.schema], backends: [TestService.name: channel])
        var configuration = HTTPServerConfiguration(port: 0, tls: nil)
        configuration.eventLoopGroup = group
        let http = HTTPServer(configuration: configuration, handler: gateway)
        let port = try await http.start()

        let output = try await Task.detached { try PythonPeer.run(["gateway_cancel_client.py", "--port", String(port)]) }.value
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains(" passed, 0 failed"), "\(output.text)")
        // Three slow calls started (the one whose client left, and two with deadlines); all three were cancelled
        // in the service, long before their 10 s were up.
        for _ in 0..<300 where service.cancelled.load(ordering: .sequentiallyConsistent) < 3 {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(service.started.load(ordering: .sequentiallyConsistent) == 3)
        #expect(service.cancelled.load(ordering: .sequentiallyConsistent) == 3)

        await http.stop(gracePeriod: .seconds(1))
        await channel.close()
        try await server.stop()
        try await group.shutdownGracefully()
    }
}
