public import AudoticsInteropAPI
public import AudoticsRPC

/// `grpc.testing.TestService` with the behaviour the gRPC interop cases expect
/// (grpc/grpc `doc/interop-test-descriptions.md`): payloads of the requested sizes, streamed
/// responses with their intervals, echoed status codes and messages, and `UnimplementedCall`
/// answered with UNIMPLEMENTED.
public struct InteropTestService: TestServiceProtocol {
    /// The largest payload a request may ask for (the interop cases need 314,159 bytes at most).
    public static let maxResponseSize: Int32 = 4 * 1024 * 1024

    /// Creates the service.
    public init() {}

    public func emptyCall(request: Empty, context: ServerContext) async throws -> Empty { Empty() }

    public func unaryCall(request: SimpleRequest, context: ServerContext) async throws -> SimpleResponse {
        Self.echoMetadata(context)
        try Self.checkCompressed(expected: request.expectCompressed, context: context)
        if let compressed = request.responseCompressed { context.response.compressMessages = compressed.value }
        try Self.checkStatus(request.responseStatus)
        return .with { $0.payload = try? Self.payload(size: request.responseSize) }
    }

    public func cacheableUnaryCall(request: SimpleRequest, context: ServerContext) async throws -> SimpleResponse {
        try await unaryCall(request: request, context: context)
    }

    public func streamingOutputCall(
        request: StreamingOutputCallRequest, responses: RPCWriter<StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        try Self.checkStatus(request.responseStatus)
        try await Self.respond(to: request, on: responses)
    }

    public func streamingInputCall(
        requests: RPCAsyncSequence<StreamingInputCallRequest>, context: ServerContext
    ) async throws -> StreamingInputCallResponse {
        var total = 0
        for try await request in requests {
            try Self.checkCompressed(expected: request.expectCompressed, context: context)
            total += request.payload?.body.count ?? 0
        }
        return .with { $0.aggregatedPayloadSize = Int32(clamping: total) }
    }

    public func fullDuplexCall(
        requests: RPCAsyncSequence<StreamingOutputCallRequest>, responses: RPCWriter<StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        Self.echoMetadata(context)
        for try await request in requests {
            try Self.checkStatus(request.responseStatus)
            try await Self.respond(to: request, on: responses)
        }
    }

    public func halfDuplexCall(
        requests: RPCAsyncSequence<StreamingOutputCallRequest>, responses: RPCWriter<StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        var buffered: [StreamingOutputCallRequest] = []
        for try await request in requests { buffered.append(request) }
        for request in buffered { try await Self.respond(to: request, on: responses) }
    }

    public func unimplementedCall(request: Empty, context: ServerContext) async throws -> Empty {
        throw RPCError(code: .unimplemented, message: "grpc.testing.TestService/UnimplementedCall is not implemented")
    }

    /// The `custom_metadata` case: echo `x-grpc-test-echo-initial` in the response headers and
    /// `x-grpc-test-echo-trailing-bin` in the trailers.
    static func echoMetadata(_ context: ServerContext) {
        if let initial = context.metadata.first("x-grpc-test-echo-initial") {
            context.response.initialMetadata = ["x-grpc-test-echo-initial": .string(initial)]
        }
        if let trailing = context.metadata[binaryValues: "x-grpc-test-echo-trailing-bin"].first {
            var metadata = Metadata()
            metadata.addBinary(trailing, forKey: "x-grpc-test-echo-trailing-bin")
            context.response.trailingMetadata = metadata
        }
    }

    /// Sends one response per `response_parameters` entry, waiting `interval_us` before each.
    static func respond(to request: StreamingOutputCallRequest, on responses: RPCWriter<StreamingOutputCallResponse>) async throws {
        for parameters in request.responseParameters {
            if parameters.intervalUs > 0 { try await Task.sleep(for: .microseconds(Int(parameters.intervalUs))) }
            let payload = try payload(size: parameters.size)
            if let compressed = parameters.compressed {
                // server_compressed_streaming: each response says whether it is compressed.
                try await responses.write(.with { $0.payload = payload }, compress: compressed.value)
            } else {
                try await responses.write(.with { $0.payload = payload })
            }
        }
    }

    /// A payload of zeros of the requested size; negative or oversize requests are INVALID_ARGUMENT.
    static func payload(size: Int32) throws(RPCError) -> Payload {
        guard size >= 0, size <= maxResponseSize else {
            throw RPCError(code: .invalidArgument, message: "response size \(size) is outside 0...\(maxResponseSize)")
        }
        return .with { $0.body = [UInt8](repeating: 0, count: Int(size)) }
    }

    /// The `client_compressed_*` cases: a request with `expect_compressed` set must have arrived compressed,
    /// otherwise the call fails with INVALID_ARGUMENT (which is also how clients probe for the feature).
    static func checkCompressed(expected: BoolValue?, context: ServerContext) throws(RPCError) {
        guard expected?.value == true, !context.requestMessageCompressed else { return }
        throw RPCError(code: .invalidArgument, message: "expected a compressed request message, got an uncompressed one")
    }

    /// Fails with the status the request asks to be echoed, if any.
    static func checkStatus(_ status: EchoStatus?) throws(RPCError) {
        guard let status, status.code != 0 else { return }
        throw RPCError(code: StatusCode(rawValue: Int(status.code)), message: status.message)
    }
}
