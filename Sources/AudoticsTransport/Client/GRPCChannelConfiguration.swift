public import AudoticsHTTP2

/// How a channel connects and what it accepts.
public struct GRPCChannelConfiguration: Sendable {
    /// Transport security of every connection (plaintext h2c only, for now).
    public var security: ChannelSecurity
    /// HTTP/2 settings this client announces: windows, frame and header list sizes.
    public var http2: HTTP2Settings
    /// The delays between reconnection attempts to an endpoint.
    public var backoff: ConnectionBackoff
    /// How long one TCP connection attempt may take (gRPC's MIN_CONNECT_TIMEOUT is 20 s).
    public var connectTimeout: Duration
    /// The `:authority` of every call; `nil` uses the endpoint's `host:port`.
    public var authority: String?

    /// Creates a configuration.
    public init(
        security: ChannelSecurity = .plaintext, http2: HTTP2Settings = HTTP2Settings(),
        backoff: ConnectionBackoff = ConnectionBackoff(), connectTimeout: Duration = .seconds(20), authority: String? = nil
    ) {
        self.security = security
        self.http2 = http2
        self.backoff = backoff
        self.connectTimeout = connectTimeout
        self.authority = authority
    }
}
