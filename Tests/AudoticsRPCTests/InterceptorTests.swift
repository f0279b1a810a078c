import AudoticsInteropAPI
import AudoticsRPC
import Logging
import MetricsTestKit
import Synchronization
import Testing

/// Refuses calls without `authorization` metadata, as the auth interceptor of issue #4 will.
struct RequireAuthorization: ServerInterceptor {
    func intercept(
        requests: RPCAsyncSequence<[UInt8]>, responses: RPCWriter<[UInt8]>, context: ServerContext, next: RPCRouter.Handler
    ) async throws {
        guard context.metadata.first("authorization") == "Bearer good" else {
            throw RPCError(code: .unauthenticated, message: "a valid access token is required")
        }
        try await next(requests, responses, context)
    }
}

/// Adds metadata to every call, the way a credentials interceptor would.
struct AddAuthorization: ClientInterceptor {
    func intercept<Result>(
        method: MethodDescriptor, options: CallOptions, requests: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: (RPCAsyncSequence<[UInt8]>) async throws -> Result, next: any ClientTransport
    ) async throws -> Result {
        var options = options
        options.metadata.addString("Bearer good", forKey: "authorization")
        return try await next.call(method: method, options: options, requests: requests, onResponse: onResponse)
    }
}

/// A log handler that keeps what it is given.
struct CapturingLogHandler: LogHandler {
    let captured: CapturedLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        captured.lines.withLock { $0.append("\(event.message) \(event.metadata ?? [:])") }
    }
}

final class CapturedLines: Sendable {
    let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
}

@Suite("interceptors")
struct InterceptorTests {
    @Test("a server interceptor can refuse a call; a client interceptor can add credentials")
    func authorization() async throws {
        let router = RPCRouter(services: [EchoTestService()], interceptors: [RequireAuthorization()])
        let plain = TestServiceClient(transport: InProcessTransport(router: router))
        let error = await #expect(throws: RPCError.self) { try await plain.emptyCall(Empty()) }
        #expect(error?.code == .unauthenticated)
        let authorized = TestServiceClient(
            transport: InterceptedTransport.wrap(InProcessTransport(router: router), in: [AddAuthorization()]))
        _ = try await authorized.emptyCall(Empty())
    }

    @Test("the logging interceptor writes one line per call with method and status")
    func logging() async throws {
        let captured = CapturedLines()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(captured: captured) }
        let router = RPCRouter(services: [EchoTestService()], interceptors: [LoggingServerInterceptor(logger: logger)])
        let client = TestServiceClient(transport: InProcessTransport(router: router))
        _ = try await client.emptyCall(Empty())
        _ = try? await client.unimplementedCall(Empty())
        let lines = captured.all
        #expect(lines.count == 2)
        #expect(lines.first?.contains("grpc.testing.TestService/EmptyCall") == true)
        #expect(lines.first?.contains("OK") == true)
        #expect(lines.last?.contains("UNIMPLEMENTED") == true)
    }

    @Test("the metrics interceptors count calls by method and status, and time them")
    func metrics() async throws {
        let metrics = TestMetrics()
        let router = RPCRouter(services: [EchoTestService()], interceptors: [MetricsServerInterceptor(factory: metrics)])
        let client = TestServiceClient(
            transport: InterceptedTransport.wrap(InProcessTransport(router: router), in: [MetricsClientInterceptor(factory: metrics)]))
        for _ in 0..<3 { _ = try await client.emptyCall(Empty()) }
        _ = try? await client.unimplementedCall(Empty())
        let ok = try metrics.expectCounter("rpc_server_calls_total", [("method", "grpc.testing.TestService/EmptyCall"), ("code", "OK")])
        #expect(ok.totalValue == 3)
        let failed = try metrics.expectCounter(
            "rpc_server_calls_total", [("method", "grpc.testing.TestService/UnimplementedCall"), ("code", "UNIMPLEMENTED")])
        #expect(failed.totalValue == 1)
        let timer = try metrics.expectTimer("rpc_server_duration_seconds", [("method", "grpc.testing.TestService/EmptyCall")])
        #expect(timer.values.count == 3)
        let client3 = try metrics.expectCounter("rpc_client_calls_total", [("method", "grpc.testing.TestService/EmptyCall"), ("code", "OK")])
        #expect(client3.totalValue == 3)
    }
}
