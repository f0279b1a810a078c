/// What a handler knows about the call it serves.
public struct ServerContext: Sendable {
    /// The RPC being served.
    public var method: MethodDescriptor
    /// The request metadata (headers) sent by the client.
    public var metadata: Metadata
    /// When the call must finish, from the client's `grpc-timeout`; `nil` for no deadline.
    public var deadline: ContinuousClock.Instant?
    /// A description of the peer, for example `ipv4:127.0.0.1:53124` or `in-process`.
    public var peer: String
    /// Response metadata and compression the handler may set.
    public let response: ServerResponseOptions

    /// Whether the request message the handler read last arrived compressed: for a unary or server-streaming
    /// call, its one request; for a streaming call, the message the request sequence returned last. Lets a
    /// service insist on compression (the interop cases' `expect_compressed`).
    public var requestMessageCompressed: Bool { response.requestMessageCompressed }

    /// Creates a context.
    public init(method: MethodDescriptor, metadata: Metadata = [:], deadline: ContinuousClock.Instant? = nil, peer: String) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.peer = peer
        self.response = ServerResponseOptions()
    }
}
