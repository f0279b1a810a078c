/// The HEADERS frame that starts a gRPC call (Request-Headers in PROTOCOL-HTTP2).
///
/// `Call-Definition → Method Scheme Path TE [Authority] [Timeout] Content-Type [Message-Type] [Message-Encoding]
/// [Message-Accept-Encoding] [User-Agent]`, then Custom-Metadata. A client builds the fields with `headers()`; a
/// server validates received ones with `init(parsing:supportedEncodings:)`.
public struct GRPCRequestHead: Hashable, Sendable {
    /// `application/grpc`, the content-type this implementation sends.
    public static let defaultContentType = "application/grpc"
    /// The `user-agent` clients send, in the structure PROTOCOL-HTTP2 recommends.
    public static let defaultUserAgent = "audotics-swift/0.1.0"

    /// The fully qualified service name, the first segment of `:path`.
    public var service: String
    /// The method name, the second segment of `:path`.
    public var method: String
    /// `:scheme`, `http` or `https`.
    public var scheme: String
    /// `:authority`, the virtual host, if given.
    public var authority: String?
    /// The time the call may take (`grpc-timeout`); `nil` for none, which a server takes as infinite.
    public var timeout: Duration?
    /// The `content-type`: `application/grpc` or a `+`/`;` variant of it.
    public var contentType: String
    /// The compression of the request messages (`grpc-encoding`); `identity` sends no header.
    public var encoding: GRPCMessageCompression
    /// The encodings accepted for responses (`grpc-accept-encoding`), unknown names left out.
    public var acceptEncodings: [GRPCMessageCompression]
    /// The `user-agent`, if any. A server also finds it in `metadata`.
    public var userAgent: String?
    /// Whether the request carried `te: trailers`. Servers accept requests without it (grpc-go does not check it,
    /// grpc-java only logs) but may log it: its absence suggests a proxy that drops trailers.
    public var hasTETrailers: Bool
    /// Custom metadata (on a server: every non-reserved field, `user-agent` included).
    public var metadata: Metadata

    /// Creates the head of a call to `service`/`method`.
    public init(
        service: String,
        method: String,
        scheme: String = "https",
        authority: String? = nil,
        timeout: Duration? = nil,
        contentType: String = GRPCRequestHead.defaultContentType,
        encoding: GRPCMessageCompression = .identity,
        acceptEncodings: [GRPCMessageCompression] = GRPCMessageCompression.all,
        userAgent: String? = GRPCRequestHead.defaultUserAgent,
        metadata: Metadata = [:]
    ) {
        self.service = service
        self.method = method
        self.scheme = scheme
        self.authority = authority
        self.timeout = timeout
        self.contentType = contentType
        self.encoding = encoding
        self.acceptEncodings = acceptEncodings
        self.userAgent = userAgent
        self.hasTETrailers = true
        self.metadata = metadata
    }

    /// Creates the head of a call to `descriptor`'s method.
    public init(
        descriptor: MethodDescriptor,
        scheme: String = "https",
        authority: String? = nil,
        timeout: Duration? = nil,
        encoding: GRPCMessageCompression = .identity,
        metadata: Metadata = [:]
    ) {
        self.init(
            service: descriptor.service, method: descriptor.method, scheme: scheme, authority: authority,
            timeout: timeout, encoding: encoding, metadata: metadata
        )
    }

    /// The `:path`: `/<service>/<method>`.
    public var path: String {
        var path = ""
        path.reserveCapacity(service.utf8.count + method.utf8.count + 2)
        path += "/"
        path += service
        path += "/"
        path += method
        return path
    }

    /// The request's HEADERS fields, in the order PROTOCOL-HTTP2 recommends: pseudo-headers, then `grpc-timeout`
    /// ("implementations should send Timeout immediately after the reserved headers"), the rest of the
    /// Call-Definition, then custom metadata (a `user-agent` key in it is dropped in favour of `userAgent`).
    ///
    /// Fails with INTERNAL for invalid custom metadata. A zero or negative timeout is sent as `1n`; callers
    /// usually fail such a call with DEADLINE_EXCEEDED before sending it.
    public func headers() throws(RPCError) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(fieldCountEstimate)
        try forEachHeader(path: path) { fields.append(($0, $1)) }
        return fields
    }

    /// About how many fields `forEachHeader` gives, for reserving room.
    public var fieldCountEstimate: Int { 10 + metadata.count }

    /// The fields of `headers()`, each handed to `body` in order, with the `:path` given (a channel passes
    /// `MethodDescriptor.path`, made once per method): a transport builds its own field list without an
    /// intermediate one.
    public func forEachHeader(path: String, _ body: (String, String) -> Void) throws(RPCError) {
        body(":method", "POST")
        body(":scheme", scheme)
        body(":path", path)
        if let authority { body(":authority", authority) }
        if let timeout { body("grpc-timeout", GRPCTimeout(rounding: timeout).headerValue) }
        body("te", "trailers")
        body("content-type", contentType)
        if encoding.isCompressing { body("grpc-encoding", encoding.name) }
        if !acceptEncodings.isEmpty {
            body("grpc-accept-encoding", GRPCMessageCompression.acceptEncodingValue(acceptEncodings))
        }
        if let userAgent { body("user-agent", userAgent) }
        var custom = metadata
        // Removing copies the storage: only when there is something to remove.
        if custom.contains(where: { $0.key == "user-agent" }) { custom.removeAll(forKey: "user-agent") }
        try GRPCMetadataCoding.encode(custom, body)
    }

    /// Whether `value` is a gRPC content-type: `application/grpc` alone or followed by `+` or `;` (ASCII
    /// case-insensitive, as media types are). `application/grpc-web` and the like are not.
    public static func isGRPCContentType(_ value: some StringProtocol) -> Bool {
        if value == defaultContentType { return true }
        let prefix = "application/grpc".utf8
        let utf8 = value.utf8
        guard utf8.count >= prefix.count else { return false }
        var index = utf8.startIndex
        for expected in prefix {
            let byte = utf8[index]
            guard byte == expected || (byte >= 0x41 && byte <= 0x5A && byte + 0x20 == expected) else { return false }
            index = utf8.index(after: index)
        }
        return index == utf8.endIndex || utf8[index] == UInt8(ascii: "+") || utf8[index] == UInt8(ascii: ";")
    }
}
