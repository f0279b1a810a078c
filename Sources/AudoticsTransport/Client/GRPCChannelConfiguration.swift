public import AudoticsHTTP2

/// How a channel connects and what it accepts.
public struct GRPCChannelConfiguration: Sendable {
    /// Transport security of every connection: TLS, or plaintext h2c when asked for.
    public var security: ChannelSecurity
    /// HTTP/2 settings this client announces: windows, frame and header list sizes.
    public var http2: HTTP2Settings
    /// The delays between reconnection attempts to an endpoint.
    public var backoff: ConnectionBackoff
    /// How long one TCP connection attempt may take (gRPC's MIN_CONNECT_TIMEOUT is 20 s).
    public var connectTimeout: Duration
    /// The `:authority` of every call; `nil` uses the endpoint's `host:port`.
    public var authority: String?
    /// Client-side health checking: when set, each connection watches this service's state with
    /// `grpc.health.v1.Health/Watch`, and calls only go to endpoints that report SERVING ("" is the server as a
    /// whole). A server without the Health service (UNIMPLEMENTED) counts as serving. `nil`, the default, uses
    /// every connected endpoint.
    public var healthCheckService: String?
    /// Keepalive pings that detect a dead connection (a server gone without closing, a broken network path);
    /// `nil`, the default, sends none.
    public var keepalive: ClientKeepalive?

    /// Creates a configuration.
    public init(
        security: ChannelSecurity = .plaintext, http2: HTTP2Settings = HTTP2Settings(),
        backoff: ConnectionBackoff = ConnectionBackoff(), connectTimeout: Duration = .seconds(20), authority: String? = nil,
        healthCheckService: String? = nil, keepalive: ClientKeepalive? = nil
    ) {
        self.security = security
        self.http2 = http2
        self.backoff = backoff
        self.connectTimeout = connectTimeout
        self.authority = authority
        self.healthCheckService = healthCheckService
        self.keepalive = keepalive
    }
}

/// Client keepalive (gRPC's `GRPC_ARG_KEEPALIVE_TIME_MS`, `_TIMEOUT_MS` and `_PERMIT_WITHOUT_CALLS`): a PING every
/// `interval`, and a connection whose PING is not acknowledged within `timeout` is closed (its calls fail with
/// UNAVAILABLE; the next call reconnects).
///
/// Servers limit how often they accept pings (ours: once per 5 minutes without calls by default, and they end
/// abusive connections with ENHANCE_YOUR_CALM), so keep `interval` long, or ping only while calls are active.
public struct ClientKeepalive: Hashable, Sendable {
    /// The time between pings.
    public var interval: Duration
    /// How long an acknowledgement may take before the connection counts as dead.
    public var timeout: Duration
    /// Whether to ping while no call is active (otherwise idle connections are not pinged).
    public var permitWithoutCalls: Bool

    /// Creates a keepalive policy.
    public init(interval: Duration, timeout: Duration = .seconds(20), permitWithoutCalls: Bool = false) {
        self.interval = interval
        self.timeout = timeout
        self.permitWithoutCalls = permitWithoutCalls
    }
}
