import AudoticsInteropAPI
import AudoticsRPC
import Synchronization
import Testing

/// Fails the first `failures` calls with UNAVAILABLE, then answers; counts attempts.
final class FlakyTestService: TestServiceProtocol, Sendable {
    let attempts = Mutex(0)
    let failures: Int
    let observedDeadline = Mutex<ContinuousClock.Instant?>(nil)

    init(failures: Int) { self.failures = failures }

    func emptyCall(request: Empty, context: ServerContext) async throws -> Empty {
        let attempt = attempts.withLock { $0 += 1; return $0 }
        if attempt <= failures { throw RPCError(code: .unavailable, message: "try again") }
        return Empty()
    }

    func unaryCall(request: SimpleRequest, context: ServerContext) async throws -> SimpleResponse {
        observedDeadline.withLock { $0 = context.deadline }
        return SimpleResponse()
    }

    func cacheableUnaryCall(request: SimpleRequest, context: ServerContext) async throws -> SimpleResponse { SimpleResponse() }
    func streamingOutputCall(request: StreamingOutputCallRequest, responses: RPCWriter<StreamingOutputCallResponse>, context: ServerContext) async throws {}
    func streamingInputCall(requests: RPCAsyncSequence<StreamingInputCallRequest>, context: ServerContext) async throws -> StreamingInputCallResponse { .init() }
    func fullDuplexCall(requests: RPCAsyncSequence<StreamingOutputCallRequest>, responses: RPCWriter<StreamingOutputCallResponse>, context: ServerContext) async throws {}
    func halfDuplexCall(requests: RPCAsyncSequence<StreamingOutputCallRequest>, responses: RPCWriter<StreamingOutputCallResponse>, context: ServerContext) async throws {}
    func unimplementedCall(request: Empty, context: ServerContext) async throws -> Empty { Empty() }
}

/// A front service whose handler calls the flaky one: the inner call must inherit the deadline.
struct ForwardingService: TestServiceProtocol {
    let inner: TestServiceClient

    func unaryCall(request: SimpleRequest, context: ServerContext) async throws -> SimpleResponse {
        try await inner.unaryCall(request)
    }

    func emptyCall(request: Empty, context: ServerContext) async throws -> Empty { Empty() }
    func cacheableUnaryCall(request: SimpleRequest, context: ServerContext) async throws -> SimpleResponse { SimpleResponse() }
    func streamingOutputCall(request: StreamingOutputCallRequest, responses: RPCWriter<StreamingOutputCallResponse>, context: ServerContext) async throws {}
    func streamingInputCall(requests: RPCAsyncSequence<StreamingInputCallRequest>, context: ServerContext) async throws -> StreamingInputCallResponse { .init() }
    func fullDuplexCall(requests: RPCAsyncSequence<StreamingOutputCallRequest>, responses: RPCWriter<StreamingOutputCallResponse>, context: ServerContext) async throws {}
    func halfDuplexCall(requests: RPCAsyncSequence<StreamingOutputCallRequest>, responses: RPCWriter<StreamingOutputCallResponse>, context: ServerContext) async throws {}
    func unimplementedCall(request: Empty, context: ServerContext) async throws -> Empty { Empty() }
}

/// `EmptyCall` marked idempotent, as a retry policy requires.
let idempotentEmptyCall = MethodDescriptor(service: "grpc.testing.TestService", method: "EmptyCall", kind: .unary, isIdempotent: true)

@Suite("retries and deadline propagation")
struct RetryAndDeadlineTests {
    @Test("an idempotent call is retried on UNAVAILABLE until it succeeds")
    func retriesIdempotent() async throws {
        let service = FlakyTestService(failures: 2)
        let transport = InterceptedTransport.wrap(
            InProcessTransport(router: RPCRouter(services: [service])),
            in: [RetryInterceptor(policy: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(5)))])
        let _: Empty = try await RPCClient(transport: transport).unary(request: Empty(), method: idempotentEmptyCall, options: CallOptions())
        #expect(service.attempts.withLock { $0 } == 3)
    }

    @Test("the attempts are bounded and the last error is reported")
    func boundedAttempts() async throws {
        let service = FlakyTestService(failures: 10)
        let transport = InterceptedTransport.wrap(
            InProcessTransport(router: RPCRouter(services: [service])),
            in: [RetryInterceptor(policy: RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(5)))])
        let error = await #expect(throws: RPCError.self) {
            let _: Empty = try await RPCClient(transport: transport).unary(request: Empty(), method: idempotentEmptyCall, options: CallOptions())
        }
        #expect(error?.code == .unavailable)
        #expect(service.attempts.withLock { $0 } == 3)
    }

    @Test("a method not marked idempotent is never retried")
    func notIdempotent() async throws {
        let service = FlakyTestService(failures: 1)
        let client = TestServiceClient(
            transport: InterceptedTransport.wrap(
                InProcessTransport(router: RPCRouter(services: [service])), in: [RetryInterceptor()]))
        await #expect(throws: RPCError.self) { try await client.emptyCall(Empty()) }
        #expect(service.attempts.withLock { $0 } == 1)
    }

    @Test("a call made inside a handler inherits what is left of the handler's deadline")
    func deadlinePropagation() async throws {
        let inner = FlakyTestService(failures: 0)
        let innerClient = TestServiceClient(transport: InProcessTransport(router: RPCRouter(services: [inner])))
        let front = TestServiceClient(
            transport: InProcessTransport(router: RPCRouter(services: [ForwardingService(inner: innerClient)])))
        let started = ContinuousClock.now
        _ = try await front.unaryCall(SimpleRequest(), options: CallOptions(timeout: .seconds(60)))
        let inherited = try #require(inner.observedDeadline.withLock { $0 })
        #expect(inherited <= started + .seconds(60) + .milliseconds(20), "no later than the outer deadline")
        #expect(inherited > started + .seconds(30), "the inner call got what was left, not some default")
    }
}
