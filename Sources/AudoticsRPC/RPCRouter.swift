public import AudoticsProtobuf

/// Maps method paths to handlers; servers and the in-process transport dispatch through it.
///
/// Handlers work on encoded messages; the typed `register…` functions decode requests and encode
/// responses with the generated protobuf-c codecs.
public struct RPCRouter: Sendable {
    /// A handler on encoded messages: reads requests, writes responses, throws `RPCError` to fail.
    public typealias Handler = @Sendable (RPCAsyncSequence<[UInt8]>, RPCWriter<[UInt8]>, ServerContext) async throws -> Void

    private var handlers: [String: (method: MethodDescriptor, handler: Handler)] = [:]
    /// Limits applied to every decoded request.
    public var decodingOptions: DecodingOptions

    /// Creates an empty router.
    public init(decodingOptions: DecodingOptions = .default) {
        self.decodingOptions = decodingOptions
    }

    /// Creates a router serving the given services, every call passing through `interceptors`
    /// (the first one outermost).
    public init(
        services: [any RPCService], interceptors: [any ServerInterceptor] = [], decodingOptions: DecodingOptions = .default
    ) {
        self.init(decodingOptions: decodingOptions)
        for service in services { service.registerMethods(with: &self) }
        if !interceptors.isEmpty { intercept(with: interceptors) }
    }

    /// Puts `interceptors` (the first one outermost) in front of every registered handler.
    public mutating func intercept(with interceptors: [any ServerInterceptor]) {
        for (path, entry) in handlers {
            handlers[path] = (entry.method, Self.intercepted(entry.handler, by: interceptors))
        }
    }

    /// Every registered method, sorted by path.
    public var methods: [MethodDescriptor] { handlers.values.map(\.method).sorted { $0.path < $1.path } }

    /// The handler for an HTTP/2 `:path`, or `nil` when no service implements it.
    public func handler(forPath path: String) -> (method: MethodDescriptor, handler: Handler)? {
        handlers[path]
    }

    /// Registers a handler on encoded messages, replacing any handler for the same method.
    public mutating func register(_ method: MethodDescriptor, handler: @escaping Handler) {
        handlers[method.path] = (method, handler)
    }

    /// Registers a unary method.
    public mutating func registerUnary<Request: ProtobufMessage, Response: ProtobufMessage>(
        _ method: MethodDescriptor, _ body: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) {
        let options = decodingOptions
        register(method) { requests, responses, context in
            let request = try await Self.single(requests, Request.self, options: options, method: method)
            try await responses.write(body(request, context).serializedBytes())
        }
    }

    /// Registers a client-streaming method.
    public mutating func registerClientStreaming<Request: ProtobufMessage, Response: ProtobufMessage>(
        _ method: MethodDescriptor, _ body: @escaping @Sendable (RPCAsyncSequence<Request>, ServerContext) async throws -> Response
    ) {
        let options = decodingOptions
        register(method) { requests, responses, context in
            let decoded = requests.map { try Self.decode($0, Request.self, options: options) }
            try await responses.write(body(decoded, context).serializedBytes())
        }
    }

    /// Registers a server-streaming method.
    public mutating func registerServerStreaming<Request: ProtobufMessage, Response: ProtobufMessage>(
        _ method: MethodDescriptor,
        _ body: @escaping @Sendable (Request, RPCWriter<Response>, ServerContext) async throws -> Void
    ) {
        let options = decodingOptions
        register(method) { requests, responses, context in
            let request = try await Self.single(requests, Request.self, options: options, method: method)
            try await body(request, responses.map { $0.serializedBytes() }, context)
        }
    }

    /// Registers a bidirectional-streaming method.
    public mutating func registerBidirectionalStreaming<Request: ProtobufMessage, Response: ProtobufMessage>(
        _ method: MethodDescriptor,
        _ body: @escaping @Sendable (RPCAsyncSequence<Request>, RPCWriter<Response>, ServerContext) async throws -> Void
    ) {
        let options = decodingOptions
        register(method) { requests, responses, context in
            let decoded = requests.map { try Self.decode($0, Request.self, options: options) }
            try await body(decoded, responses.map { $0.serializedBytes() }, context)
        }
    }

    /// Decodes a request message.
    static func decode<Message: ProtobufMessage>(_ bytes: [UInt8], _ type: Message.Type, options: DecodingOptions) throws(RPCError) -> Message {
        try MessageStreams.decode(bytes, as: Message.self, options: options, role: "request")
    }

    /// Reads and decodes the one request of a unary or server-streaming call.
    static func single<Message: ProtobufMessage>(
        _ requests: RPCAsyncSequence<[UInt8]>, _ type: Message.Type, options: DecodingOptions, method: MethodDescriptor
    ) async throws -> Message {
        let bytes = try await MessageStreams.single(requests, method: method, role: "request", violation: .unimplemented)
        return try decode(bytes, Message.self, options: options)
    }
}
