import AudoticsInteropAPI
import AudoticsRPC
import Testing

/// A small `grpc.testing.TestService` used to drive the generated API through the in-process transport.
struct EchoTestService: TestServiceProtocol {
    func emptyCall(request: Empty, context: ServerContext) async throws -> Empty { Empty() }

    func unaryCall(request: SimpleRequest, context: ServerContext) async throws -> SimpleResponse {
        if let status = request.responseStatus, status.code != 0 {
            throw RPCError(code: StatusCode(rawValue: Int(status.code)), message: status.message)
        }
        return .with {
            $0.payload = .with { $0.body = [UInt8](repeating: 0, count: Int(request.responseSize)) }
            $0.username = context.metadata.first("x-user") ?? ""
        }
    }

    func cacheableUnaryCall(request: SimpleRequest, context: ServerContext) async throws -> SimpleResponse {
        try await unaryCall(request: request, context: context)
    }

    func streamingOutputCall(
        request: StreamingOutputCallRequest, responses: RPCWriter<StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        for parameters in request.responseParameters {
            if parameters.intervalUs > 0 { try await Task.sleep(for: .microseconds(Int(parameters.intervalUs))) }
            try await responses.write(.with { $0.payload = .with { $0.body = [UInt8](repeating: 1, count: Int(parameters.size)) } })
        }
    }

    func streamingInputCall(
        requests: RPCAsyncSequence<StreamingInputCallRequest>, context: ServerContext
    ) async throws -> StreamingInputCallResponse {
        var total = 0
        for try await request in requests { total += request.payload?.body.count ?? 0 }
        return .with { $0.aggregatedPayloadSize = Int32(total) }
    }

    func fullDuplexCall(
        requests: RPCAsyncSequence<StreamingOutputCallRequest>, responses: RPCWriter<StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        for try await request in requests {
            try await streamingOutputCall(request: request, responses: responses, context: context)
        }
    }

    func halfDuplexCall(
        requests: RPCAsyncSequence<StreamingOutputCallRequest>, responses: RPCWriter<StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        var buffered: [StreamingOutputCallRequest] = []
        for try await request in requests { buffered.append(request) }
        for request in buffered { try await streamingOutputCall(request: request, responses: responses, context: context) }
    }

    func unimplementedCall(request: Empty, context: ServerContext) async throws -> Empty {
        throw RPCError(code: .unimplemented, message: "UnimplementedCall is not implemented")
    }
}

@Suite("generated clients and services over the in-process transport")
struct InProcessTransportTests {
    let client = TestServiceClient(transport: InProcessTransport(router: RPCRouter(services: [EchoTestService()])))

    @Test("unary calls carry requests, responses and metadata")
    func unary() async throws {
        _ = try await client.emptyCall(Empty())
        let response = try await client.unaryCall(
            .with { $0.responseSize = 314_159 }, options: CallOptions(metadata: ["x-user": "ada"]))
        #expect(response.payload?.body.count == 314_159)
        #expect(response.username == "ada")
    }

    @Test("a handler's RPCError reaches the client with its code and message")
    func status() async throws {
        let request = SimpleRequest.with { $0.responseStatus = .with { $0.code = 2; $0.message = "test status message" } }
        let error = await #expect(throws: RPCError.self) { try await client.unaryCall(request) }
        #expect(error?.code == .unknown)
        #expect(error?.message == "test status message")
    }

    @Test("server streaming delivers every response in order")
    func serverStreaming() async throws {
        let sizes: [Int32] = [31_415, 9, 2_653, 58_979]
        let request = StreamingOutputCallRequest.with { r in r.responseParameters = sizes.map { s in .with { $0.size = s } } }
        let received = try await client.streamingOutputCall(request) { responses in
            var sizes: [Int32] = []
            for try await response in responses { sizes.append(Int32(response.payload?.body.count ?? -1)) }
            return sizes
        }
        #expect(received == sizes)
    }

    @Test("client streaming aggregates every request")
    func clientStreaming() async throws {
        let response = try await client.streamingInputCall { writer in
            for size in [27_182, 8, 1_828, 45_904] {
                try await writer.write(.with { $0.payload = .with { $0.body = [UInt8](repeating: 0, count: size) } })
            }
        }
        #expect(response.aggregatedPayloadSize == 74_922)
    }

    @Test("bidirectional streaming answers each request")
    func bidirectional() async throws {
        let sizes: [Int32] = [31_415, 9, 2_653, 58_979]
        let received = try await client.fullDuplexCall(requests: { writer in
            for size in sizes { try await writer.write(.with { r in r.responseParameters = [.with { $0.size = size }] }) }
        }) { responses in
            var received: [Int32] = []
            for try await response in responses { received.append(Int32(response.payload?.body.count ?? -1)) }
            return received
        }
        #expect(received == sizes)
    }

    @Test("an empty stream both ways completes")
    func emptyStream() async throws {
        let count = try await client.fullDuplexCall(requests: { _ in }) { responses in
            var count = 0
            for try await _ in responses { count += 1 }
            return count
        }
        #expect(count == 0)
    }

    @Test("a call past its deadline fails with DEADLINE_EXCEEDED")
    func deadline() async throws {
        let request = StreamingOutputCallRequest.with { $0.responseParameters = [.with { $0.size = 1; $0.intervalUs = 30_000_000 }] }
        let started = ContinuousClock.now
        let error = await #expect(throws: RPCError.self) {
            try await client.streamingOutputCall(request, options: CallOptions(timeout: .milliseconds(50))) { responses in
                for try await _ in responses {}
            }
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(ContinuousClock.now - started < .seconds(15), "the deadline must cut the 30 s handler short")
    }

    @Test("an unknown method is UNIMPLEMENTED")
    func unimplemented() async throws {
        let other = UnimplementedServiceClient(transport: InProcessTransport(router: RPCRouter(services: [EchoTestService()])))
        let error = await #expect(throws: RPCError.self) { try await other.unimplementedCall(Empty()) }
        #expect(error?.code == .unimplemented)
    }

    @Test("the generated descriptors and HTTP routes describe the service")
    func descriptors() {
        #expect(TestService.Method.unaryCall.path == "/grpc.testing.TestService/UnaryCall")
        #expect(TestService.Method.fullDuplexCall.kind == .bidirectionalStreaming)
        #expect(TestService.methods.count == 8)
        #expect(RPCRouter(services: [EchoTestService()]).methods.count == 8)
    }
}

@Suite("byte-level unary registration")
struct EncodedUnaryTests {
    @Test("a unary method registered on encoded messages serves typed clients")
    func encodedUnary() async throws {
        var router = RPCRouter()
        router.registerUnary(TestService.Method.emptyCall, encoded: { request, _ in request })
        #expect(router.route(forPath: TestService.Method.emptyCall.path)?.unary != nil)
        let client = TestServiceClient(transport: InProcessTransport(router: router))
        #expect(try await client.emptyCall(Empty()) == Empty())
    }
}
