/// The four kinds of RPC.
public enum RPCKind: Hashable, Sendable {
    /// One request, one response.
    case unary
    /// A stream of requests, one response.
    case clientStreaming
    /// One request, a stream of responses.
    case serverStreaming
    /// Streams both ways.
    case bidirectionalStreaming
}

/// Identifies one RPC: its service, its method and its kind.
public struct MethodDescriptor: Hashable, Sendable, CustomStringConvertible {
    /// The fully qualified service name, for example `audotics.v1.MusicService`.
    public let service: String
    /// The method name, for example `GetTrack`.
    public let method: String
    /// The kind of RPC.
    public let kind: RPCKind
    /// Whether a call can be retried safely (`idempotency_level` in the proto).
    public let isIdempotent: Bool
    /// The HTTP/2 `:path` of the method: `/<service>/<method>` (made once: every call sends it).
    public let path: String

    /// Creates a descriptor.
    public init(service: String, method: String, kind: RPCKind, isIdempotent: Bool = false) {
        self.service = service
        self.method = method
        self.kind = kind
        self.isIdempotent = isIdempotent
        path = "/\(service)/\(method)"
    }

    public var description: String { "\(service)/\(method)" }
}
