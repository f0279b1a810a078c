/// One HTTP request as the gateway sees it, whatever the protocol it came in (HTTP/1.1 or HTTP/2).
public struct GatewayRequest: Sendable {
    /// The method, upper case (`GET`).
    public var method: String
    /// The request target as received: the path, still percent-encoded, and `?query`.
    public var target: String
    /// Header fields with lower-case names, in order; a name may repeat.
    public var headers: [(name: String, value: String)]
    /// The whole body.
    public var body: [UInt8]
    /// The peer, `address:port`.
    public var remoteAddress: String
    /// Whether the request came over TLS.
    public var isSecure: Bool

    /// Creates a request.
    public init(
        method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        remoteAddress: String = "", isSecure: Bool = false
    ) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.isSecure = isSecure
    }

    /// The first value of a header (`name` in lower case).
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }
}

/// The gateway's answer.
public struct GatewayResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// Header fields (lower-case names).
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Appends header fields; appending none leaves `headers` untouched (no copy of storage it shares).
    mutating func appendHeaders(_ fields: [(name: String, value: String)]) {
        guard !fields.isEmpty else { return }
        headers += fields
    }

    /// The first value of a header (`name` in lower case).
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }
}
