public import AudoticsProtobuf

/// Maps method paths to handlers; servers and the in-process transport dispatch through it.
///
/// Handlers work on encoded messages; the typed `register…` functions decode requests and encode
/// responses with the generated protobuf-c codecs.
public struct RPCRouter: Sendable {
    /// A handler on encoded messages: reads requests, writes responses, throws `RPCError` to fail.
    public typealias Handler = @Sendable (RPCAsyncSequence<[UInt8]>, RPCWriter<[UInt8]>, ServerContext) async throws -> Void

    /// A unary handler on encoded messages: one request in, one response out. Transports use it
    /// instead of the stream handler when they have the whole request (no stream machinery per call).
    public typealias UnaryHandler = @Sendable ([UInt8], ServerContext) async throws -> [UInt8]

    /// How a method is served.
    public struct Route: Sendable {
        /// The method.
        public let method: MethodDescriptor
        /// The handler on streams of encoded messages; always present.
        public let handler: Handler
        /// For unary methods without interceptors, the faster one-in-one-out form of the same handler.
        public let unary: UnaryHandler?
    }

    private var handlers: [String: Route] = [:]
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
            handlers[path] = Route(
                method: entry.method, handler: Self.intercepted(entry.handler, by: interceptors),
                unary: entry.unary.map { Self.intercepted($0, by: interceptors) })
        }
    }

    /// Every registered method, sorted by path.
    public var methods: [MethodDescriptor] { handlers.values.map(\.method).sorted { $0.path < $1.path } }

    /// The handler for an HTTP/2 `:path`, or `nil` when no service implements it.
    public func handler(forPath path: String) -> (method: MethodDescriptor, handler: Handler)? {
        handlers[path].map { ($0.method, $0.handler) }
    }

    /// The route for an HTTP/2 `:path`, or `nil` when no service implements it.
    public func route(forPath path: String) -> Route? {
        handlers[path]
    }

    /// Registers a handler on encoded messages, replacing any handler for the same method.
    public mutating func register(_ method: MethodDescriptor, handler: @escaping Handler) {
        handlers[method.path] = Route(method: method, handler: handler, unary: nil)
    }

    /// Registers a unary method on encoded messages: `body` gets the request's bytes and returns the
    /// response's (for proxies and byte-level services; generated services use the typed form).
    public mutating func registerUnary(_ method: MethodDescriptor, encoded body: @escaping UnaryHandler) {
        register(method) { requests, responses, context in
            let request = try await MessageStreams.single(requests, method: method, role: "request", violation: .unimplemented)
            try await responses.write(body(request, context))
        }
        handlers[method.path] = Route(method: method, handler: handlers[method.path]!.handler, unary: body)
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
        let streaming = handlers[method.path]!.handler
        handlers[method.path] = Route(method: method, handler: streaming) { bytes, context in
            try await body(Self.decode(bytes, Request.self, options: options), context).serializedBytes()
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
