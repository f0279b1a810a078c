public import AudoticsProtobuf

/// Typed calls of the four RPC kinds over a transport; generated clients are thin wrappers of it.
public struct RPCClient: Sendable {
    /// The transport that carries the calls.
    public let transport: any ClientTransport

    /// Creates a client over a transport.
    public init(transport: any ClientTransport) {
        self.transport = transport
    }

    /// Sends one request and returns the one response.
    public func unary<Request: ProtobufMessage, Response: ProtobufMessage>(
        request: Request, method: MethodDescriptor, options: CallOptions
    ) async throws -> Response {
        let options = try RPCDeadline.apply(to: options)
        let limits = DecodingOptions(maxMessageBytes: options.maxResponseMessageBytes)
        return try await transport.unary(method: method, options: options, request: request.serializedBytes()) {
            try Self.decode($0, Response.self, options: limits)
        }
    }

    /// Streams requests and returns the one response.
    public func clientStreaming<Request: ProtobufMessage, Response: ProtobufMessage>(
        method: MethodDescriptor, options: CallOptions,
        requests: @escaping @Sendable (RPCWriter<Request>) async throws -> Void
    ) async throws -> Response {
        let options = try RPCDeadline.apply(to: options)
        return try await transport.call(
            method: method, options: options, requests: { try await requests($0.map { $0.serializedBytes() }) }
        ) {
            try await Self.single($0, Response.self, options: options, method: method)
        }
    }

    /// Sends one request and hands the stream of responses to `onResponse`.
    public func serverStreaming<Request: ProtobufMessage, Response: ProtobufMessage, Result>(
        request: Request, method: MethodDescriptor, options: CallOptions,
        onResponse: (RPCAsyncSequence<Response>) async throws -> Result
    ) async throws -> Result {
        let options = try RPCDeadline.apply(to: options)
        let encoded = request.serializedBytes()
        let limits = DecodingOptions(maxMessageBytes: options.maxResponseMessageBytes)
        return try await transport.call(method: method, options: options, requests: { try await $0.write(encoded) }) {
            try await onResponse($0.map { try Self.decode($0, Response.self, options: limits) })
        }
    }

    /// Streams requests and hands the stream of responses to `onResponse`.
    public func bidirectionalStreaming<Request: ProtobufMessage, Response: ProtobufMessage, Result>(
        method: MethodDescriptor, options: CallOptions,
        requests: @escaping @Sendable (RPCWriter<Request>) async throws -> Void,
        onResponse: (RPCAsyncSequence<Response>) async throws -> Result
    ) async throws -> Result {
        let options = try RPCDeadline.apply(to: options)
        let limits = DecodingOptions(maxMessageBytes: options.maxResponseMessageBytes)
        return try await transport.call(
            method: method, options: options, requests: { try await requests($0.map { $0.serializedBytes() }) }
        ) {
            try await onResponse($0.map { try Self.decode($0, Response.self, options: limits) })
        }
    }

    /// Decodes a response message.
    static func decode<Message: ProtobufMessage>(_ bytes: [UInt8], _ type: Message.Type, options: DecodingOptions) throws(RPCError) -> Message {
        try MessageStreams.decode(bytes, as: Message.self, options: options, role: "response")
    }

    /// Reads and decodes the one response of a unary or client-streaming call.
    static func single<Message: ProtobufMessage>(
        _ responses: RPCAsyncSequence<[UInt8]>, _ type: Message.Type, options: CallOptions, method: MethodDescriptor
    ) async throws -> Message {
        let bytes = try await MessageStreams.single(responses, method: method, role: "response", violation: .internal)
        return try decode(bytes, Message.self, options: DecodingOptions(maxMessageBytes: options.maxResponseMessageBytes))
    }
}
