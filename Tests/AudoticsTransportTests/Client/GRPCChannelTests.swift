import AudoticsInterop
import AudoticsInteropAPI
import AudoticsRPC
import AudoticsTransport
import Synchronization
import Testing

/// `GRPCChannel` against our own `GRPCServer`: the interop cases, then connection management (restart,
/// unavailable endpoints, round robin, close), deadlines, limits and flow control.
@Suite("gRPC client against our server (h2c)")
struct GRPCChannelTests {
    static let fastBackoff = GRPCChannelConfiguration(
        backoff: ConnectionBackoff(initial: .milliseconds(20), multiplier: 1.5, maximum: .milliseconds(200), jitter: 0.1))

    static func startServer(
        port: Int = 0, router: RPCRouter = RPCRouter(services: [InteropTestService()]), gracePeriod: Duration = .seconds(30)
    ) async throws -> RunningGRPCServer {
        let configuration = GRPCServerConfiguration(
            port: port, threads: 1, connection: .init(gracePeriod: gracePeriod))
        return try await GRPCServer(configuration: configuration, router: router).start()
    }

    @Test("interop case", arguments: InteropCases.names)
    func interopCase(_ name: String) async throws {
        let server = try await Self.startServer()
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port)
        try await InteropCases.run(name, on: channel)
        await channel.close()
        try await server.stop()
    }

    @Test("a failed call carries the status, message and trailing metadata")
    func errorWithTrailingMetadata() async throws {
        let server = try await Self.startServer()
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port)
        let client = TestServiceClient(transport: channel)
        var metadata = Metadata()
        metadata.addBinary([1, 2, 3], forKey: "x-grpc-test-echo-trailing-bin")
        let recorder = ResponseMetadata()
        let error = await InteropCases.rpcError {
            _ = try await client.unaryCall(
                .with { $0.responseStatus = .with { $0.code = 9; $0.message = "nope: 100%" } },
                options: CallOptions(metadata: metadata, responseMetadata: recorder))
        }
        #expect(error?.code == .failedPrecondition)
        #expect(error?.message == "nope: 100%")
        #expect(error?.metadata[binaryValues: "x-grpc-test-echo-trailing-bin"] == [[1, 2, 3]])
        #expect(recorder.trailing[binaryValues: "x-grpc-test-echo-trailing-bin"] == [[1, 2, 3]])
        await channel.close()
        try await server.stop()
    }

    @Test("many concurrent calls share one connection")
    func concurrentCalls() async throws {
        let server = try await Self.startServer()
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port)
        let client = TestServiceClient(transport: channel)
        let sizes = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<300 {
                group.addTask {
                    try await client.unaryCall(.with { $0.responseSize = Int32(index) }).payload?.body.count ?? -1
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(sizes.sorted() == Array(0..<300))
        await channel.close()
        try await server.stop()
    }

    @Test("large streams both ways go through flow control")
    func flowControl() async throws {
        let server = try await Self.startServer()
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port)
        let client = TestServiceClient(transport: channel)
        let total = try await client.streamingInputCall { writer in
            for _ in 0..<48 { try await writer.write(.with { $0.payload = InteropCases.payload(512 * 1024) }) }
        }
        #expect(total.aggregatedPayloadSize == 48 * 512 * 1024)
        let request = StreamingOutputCallRequest.with {
            $0.responseParameters = Array(repeating: .with { $0.size = 1 << 20 }, count: 24)
        }
        let received = try await client.streamingOutputCall(request) { responses in
            var bytes = 0
            for try await response in responses {
                bytes += response.payload?.body.count ?? 0
                try await Task.sleep(for: .milliseconds(2))  // a slow reader
            }
            return bytes
        }
        #expect(received == 24 << 20)
        await channel.close()
        try await server.stop()
    }

    @Test("a response above maxResponseMessageBytes fails with RESOURCE_EXHAUSTED")
    func responseLimit() async throws {
        let server = try await Self.startServer()
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port)
        let client = TestServiceClient(transport: channel)
        let error = await InteropCases.rpcError {
            _ = try await client.unaryCall(.with { $0.responseSize = 10_000 }, options: CallOptions(maxResponseMessageBytes: 1_000))
        }
        #expect(error?.code == .resourceExhausted)
        // The connection is still good.
        #expect(try await client.unaryCall(.with { $0.responseSize = 10 }).payload?.body.count == 10)
        await channel.close()
        try await server.stop()
    }

    @Test("the deadline ends a call on the client at its time")
    func deadline() async throws {
        let server = try await Self.startServer()
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port)
        let client = TestServiceClient(transport: channel)
        let request = StreamingOutputCallRequest.with {
            $0.responseParameters = [.with { $0.size = 1 }, .with { $0.size = 1; $0.intervalUs = 5_000_000 }]
        }
        _ = try await client.emptyCall(Empty())  // connected, so the deadline only covers the call
        let started = ContinuousClock.now
        let received = Mutex(0)
        let error = await InteropCases.rpcError {
            try await client.streamingOutputCall(request, options: CallOptions(timeout: .milliseconds(800))) { responses in
                for try await _ in responses { received.withLock { $0 += 1 } }
            }
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(received.withLock { $0 } == 1)
        #expect(ContinuousClock.now - started < .seconds(3))
        await channel.close()
        try await server.stop()
    }

    @Test("calls on one connection each end at their own deadline, an earlier one started later first")
    func deadlinesOnOneConnection() async throws {
        let server = try await Self.startServer()
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port)
        let client = TestServiceClient(transport: channel)
        let request = StreamingOutputCallRequest.with {
            $0.responseParameters = [.with { $0.size = 1; $0.intervalUs = 10_000_000 }]
        }
        _ = try await client.emptyCall(Empty())
        let started = ContinuousClock.now
        func hang(_ timeout: Duration) async -> (StatusCode?, Duration) {
            let error = await InteropCases.rpcError {
                try await client.streamingOutputCall(request, options: CallOptions(timeout: timeout)) { responses in
                    for try await _ in responses {}
                }
            }
            return (error?.code, ContinuousClock.now - started)
        }
        async let late = hang(.seconds(2))
        try await Task.sleep(for: .milliseconds(100))
        async let early = hang(.milliseconds(300))
        let (earlyCode, earlyAt) = await early
        let (lateCode, lateAt) = await late
        #expect(earlyCode == .deadlineExceeded && lateCode == .deadlineExceeded)
        #expect(earlyAt >= .milliseconds(380) && earlyAt < .milliseconds(1_500), "the 300 ms call ended after \(earlyAt)")
        #expect(lateAt >= .milliseconds(1_950) && lateAt < .seconds(4), "the 2 s call ended after \(lateAt)")
        // The connection still serves calls.
        _ = try await client.emptyCall(Empty())
        await channel.close()
        try await server.stop()
    }

    @Test("a call to an endpoint nobody listens on fails fast with UNAVAILABLE")
    func unavailable() async throws {
        let port = try await Self.unusedPort()
        let channel = GRPCChannel(host: "127.0.0.1", port: port, configuration: Self.fastBackoff)
        let client = TestServiceClient(transport: channel)
        let error = await InteropCases.rpcError { _ = try await client.emptyCall(Empty()) }
        #expect(error?.code == .unavailable)
        // Waiting for readiness instead ends at the deadline.
        let waited = await InteropCases.rpcError {
            _ = try await client.emptyCall(Empty(), options: CallOptions(timeout: .milliseconds(200), waitForReady: true))
        }
        #expect(waited?.code == .deadlineExceeded)
        await channel.close()
    }

    @Test("waitForReady waits until the server comes up")
    func waitForReady() async throws {
        let port = try await Self.unusedPort()
        let channel = GRPCChannel(host: "127.0.0.1", port: port, configuration: Self.fastBackoff)
        let client = TestServiceClient(transport: channel)
        let call = Task { try await client.emptyCall(Empty(), options: CallOptions(timeout: .seconds(10), waitForReady: true)) }
        try await Task.sleep(for: .milliseconds(150))
        let server = try await Self.startServer(port: port)
        #expect(try await call.value == Empty())
        await channel.close()
        try await server.stop()
    }

    @Test("the channel recovers after the server restarts")
    func serverRestart() async throws {
        var server = try await Self.startServer(gracePeriod: .milliseconds(300))
        let port = server.port
        let channel = GRPCChannel(host: "127.0.0.1", port: port, configuration: Self.fastBackoff)
        let client = TestServiceClient(transport: channel)
        #expect(try await client.emptyCall(Empty()) == Empty())
        // A graceful stop (GOAWAY) lets a short call in flight finish; a long one is cut at the grace period.
        func slowCall(_ interval: Int32) -> Task<Int, any Error> {
            Task {
                try await client.streamingOutputCall(.with { $0.responseParameters = [.with { $0.size = 7; $0.intervalUs = interval }] }) {
                    try await $0.reduce(0) { $0 + ($1.payload?.body.count ?? 0) }
                }
            }
        }
        let short = slowCall(100_000)
        let long = slowCall(10_000_000)
        try await Task.sleep(for: .milliseconds(50))
        let stopping = ContinuousClock.now
        try await server.stop()
        #expect(try await short.value == 7)
        let cut = await InteropCases.rpcError { _ = try await long.value }
        #expect(cut != nil)
        #expect(ContinuousClock.now - stopping < .seconds(3))
        // While it is down, calls fail fast.
        let down = await InteropCases.rpcError { _ = try await client.emptyCall(Empty()) }
        #expect(down?.code == .unavailable)
        server = try await Self.startServer(port: port)
        let response = try await client.emptyCall(Empty(), options: CallOptions(timeout: .seconds(5), waitForReady: true))
        #expect(response == Empty())
        #expect(try await client.unaryCall(.with { $0.responseSize = 5 }).payload?.body.count == 5)
        await channel.close()
        try await server.stop()
    }

    @Test("calls are spread round robin over the endpoints")
    func roundRobin() async throws {
        var servers: [RunningGRPCServer] = []
        for name in ["a", "b", "c"] {
            var router = RPCRouter(services: [InteropTestService()])
            router.register(TestService.Method.emptyCall) { _, writer, context in
                context.response.initialMetadata = ["x-server": .string(name)]
                try await writer.write([])
            }
            servers.append(try await Self.startServer(router: router))
        }
        let channel = GRPCChannel(endpoints: servers.map { GRPCEndpoint(host: "127.0.0.1", port: $0.port) })
        let client = TestServiceClient(transport: channel)
        // The first call connects to all; once every endpoint has answered, each takes every third call.
        func server(options: CallOptions = CallOptions()) async throws -> String {
            let recorder = ResponseMetadata()
            var options = options
            options.responseMetadata = recorder
            _ = try await client.emptyCall(Empty(), options: options)
            return recorder.initial.first("x-server") ?? "?"
        }
        var warmedUp: Set<String> = []
        for _ in 0..<100 where warmedUp.count < 3 {
            warmedUp.insert(try await server(options: CallOptions(waitForReady: true)))
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(warmedUp == ["a", "b", "c"])
        var seen: [String: Int] = [:]
        for _ in 0..<30 { seen[try await server(), default: 0] += 1 }
        #expect(seen == ["a": 10, "b": 10, "c": 10])
        // One endpoint down: the others take the calls.
        try await servers[0].stop()
        try await Task.sleep(for: .milliseconds(100))
        for _ in 0..<6 { #expect(try await server() != "a") }
        await channel.close()
        for server in servers.dropFirst() { try await server.stop() }
    }

    @Test("close lets calls in flight finish and fails new ones")
    func close() async throws {
        let server = try await Self.startServer()
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port)
        let client = TestServiceClient(transport: channel)
        let request = StreamingOutputCallRequest.with {
            $0.responseParameters = [.with { $0.size = 1 }, .with { $0.size = 3; $0.intervalUs = 200_000 }]
        }
        let (started, signal) = AsyncStream.makeStream(of: Void.self)
        let inFlight = Task {
            try await client.streamingOutputCall(request) { responses in
                var total = 0
                for try await response in responses {
                    total += response.payload?.body.count ?? 0
                    signal.yield()
                }
                return total
            }
        }
        for await _ in started { break }
        await channel.close()
        #expect(try await inFlight.value == 4)
        let error = await InteropCases.rpcError { _ = try await client.emptyCall(Empty()) }
        #expect(error?.code == .unavailable)
        try await server.stop()
    }

    @Test("cancelling a call leaves the connection usable")
    func cancellationThenReuse() async throws {
        let server = try await Self.startServer()
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port)
        for _ in 0..<3 {
            try await InteropCases.cancelAfterFirstResponse(TestServiceClient(transport: channel))
            try await InteropCases.emptyUnary(TestServiceClient(transport: channel))
        }
        await channel.close()
        try await server.stop()
    }

    /// A port nothing listens on (bound once, then released).
    static func unusedPort() async throws -> Int {
        let server = try await startServer()
        let port = server.port
        try await server.stop()
        return port
    }
}
