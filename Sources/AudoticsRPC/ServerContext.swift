/// What a handler knows about the call it serves.
///
/// A value type whose fields live in one shared, immutable box: passing a context around (into tasks, closures and
/// interceptors) costs one reference count instead of one per field; setting a field copies the box.
public struct ServerContext: Sendable {
    private final class Storage: Sendable {
        let method: MethodDescriptor
        let metadata: Metadata
        let deadline: ContinuousClock.Instant?
        let peer: String
        let response: ServerResponseOptions

        init(
            method: MethodDescriptor, metadata: Metadata, deadline: ContinuousClock.Instant?, peer: String,
            response: ServerResponseOptions
        ) {
            self.method = method
            self.metadata = metadata
            self.deadline = deadline
            self.peer = peer
            self.response = response
        }
    }

    private var storage: Storage

    /// The RPC being served.
    public var method: MethodDescriptor {
        get { storage.method }
        set { storage = Storage(method: newValue, metadata: metadata, deadline: deadline, peer: peer, response: response) }
    }

    /// The request metadata (headers) sent by the client.
    public var metadata: Metadata {
        get { storage.metadata }
        set { storage = Storage(method: method, metadata: newValue, deadline: deadline, peer: peer, response: response) }
    }

    /// When the call must finish, from the client's `grpc-timeout`; `nil` for no deadline.
    public var deadline: ContinuousClock.Instant? {
        get { storage.deadline }
        set { storage = Storage(method: method, metadata: metadata, deadline: newValue, peer: peer, response: response) }
    }

    /// A description of the peer, for example `ipv4:127.0.0.1:53124` or `in-process`.
    public var peer: String {
        get { storage.peer }
        set { storage = Storage(method: method, metadata: metadata, deadline: deadline, peer: newValue, response: response) }
    }

    /// Response metadata and compression the handler may set.
    public var response: ServerResponseOptions { storage.response }

    /// Whether the request message the handler read last arrived compressed: for a unary or server-streaming
    /// call, its one request; for a streaming call, the message the request sequence returned last. Lets a
    /// service insist on compression (the interop cases' `expect_compressed`).
    public var requestMessageCompressed: Bool { response.requestMessageCompressed }

    /// Creates a context.
    public init(method: MethodDescriptor, metadata: Metadata = [:], deadline: ContinuousClock.Instant? = nil, peer: String) {
        storage = Storage(method: method, metadata: metadata, deadline: deadline, peer: peer, response: ServerResponseOptions())
    }
}
