/// A gRPC service.
public struct ServiceModel: Hashable, Sendable {
    /// The short name, for example `MusicService`.
    public var name: String
    /// The fully qualified name, for example `audotics.v1.MusicService`.
    public var fullName: String
    /// Methods in declaration order.
    public var methods: [MethodModel]
    /// The leading comment from the `.proto` source.
    public var comment: String

    /// Creates a service model.
    public init(name: String, fullName: String, methods: [MethodModel], comment: String = "") {
        self.name = name
        self.fullName = fullName
        self.methods = methods
        self.comment = comment
    }
}

/// One RPC of a service.
public struct MethodModel: Hashable, Sendable {
    /// The method name, for example `GetTrack`.
    public var name: String
    /// The fully qualified request type without a leading dot.
    public var inputType: String
    /// The fully qualified response type without a leading dot.
    public var outputType: String
    /// Whether the client sends a stream of requests.
    public var clientStreaming: Bool
    /// Whether the server sends a stream of responses.
    public var serverStreaming: Bool
    /// Whether `idempotency_level` marks the method safe to retry (`NO_SIDE_EFFECTS` or `IDEMPOTENT`).
    public var isIdempotent: Bool
    /// The `google.api.http` annotation, when present.
    public var http: HTTPRuleModel?
    /// The leading comment from the `.proto` source.
    public var comment: String

    /// Creates a method model.
    public init(
        name: String, inputType: String, outputType: String, clientStreaming: Bool = false,
        serverStreaming: Bool = false, isIdempotent: Bool = false, http: HTTPRuleModel? = nil, comment: String = ""
    ) {
        self.name = name
        self.inputType = inputType
        self.outputType = outputType
        self.clientStreaming = clientStreaming
        self.serverStreaming = serverStreaming
        self.isIdempotent = isIdempotent
        self.http = http
        self.comment = comment
    }
}

/// A `google.api.http` rule: one HTTP binding of an RPC, with any additional bindings.
public struct HTTPRuleModel: Hashable, Sendable {
    /// The HTTP method: GET, PUT, POST, DELETE, PATCH or a custom verb.
    public var method: String
    /// The path template, for example `/v1/tracks/{track_id}`.
    public var path: String
    /// The request field bound to the body: empty for none, `*` for the whole request.
    public var body: String
    /// The response field sent as the body: empty for the whole response.
    public var responseBody: String
    /// Further bindings of the same RPC.
    public var additionalBindings: [HTTPRuleModel]

    /// Creates a rule.
    public init(method: String, path: String, body: String = "", responseBody: String = "", additionalBindings: [HTTPRuleModel] = []) {
        self.method = method
        self.path = path
        self.body = body
        self.responseBody = responseBody
        self.additionalBindings = additionalBindings
    }
}
