public import AudoticsHTTP2
public import AudoticsTLS
public import NIOCore

/// How a gRPC server listens and what it accepts.
public struct GRPCServerConfiguration: Sendable {
    /// The address to bind, for example `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// The TCP port; 0 picks a free one (read it from `RunningGRPCServer.port`).
    public var port: Int
    /// HTTP/2 settings: concurrent streams, windows, frame and header list sizes.
    public var http2: HTTP2Settings
    /// The largest request message accepted, after decompression (RESOURCE_EXHAUSTED above it). Default 4 MiB.
    public var maxReceiveMessageBytes: Int
    /// Event-loop threads; defaults to one per core.
    public var threads: Int
    /// TLS (1.2+, ALPN `h2`, optional client certificates); `nil` serves plaintext h2c, for local use only.
    /// The context can be reloaded while the server runs: new connections use the new certificate.
    public var tls: ReloadableTLSContext?
    /// Idle and age limits, keepalive, and ping-abuse protection of each connection.
    public var connection: ConnectionPolicy

    /// How long connections live and how they are kept alive.
    public struct ConnectionPolicy: Sendable, Hashable {
        /// A connection without streams for this long is closed gracefully (GOAWAY). Default 30 minutes.
        public var maxIdle: Duration?
        /// A connection is closed gracefully after this long, to spread load after scaling. Default none.
        public var maxAge: Duration?
        /// How long in-flight calls may run after a graceful shutdown began. Default 30 seconds.
        public var gracePeriod: Duration
        /// The server pings an idle client this often to find dead connections. Default 2 hours.
        public var keepaliveInterval: Duration
        /// A ping unanswered this long closes the connection. Default 20 seconds.
        public var keepaliveTimeout: Duration
        /// Client pings closer together than this while no call runs are strikes. Default 5 minutes.
        public var minPingIntervalWithoutCalls: Duration
        /// Strikes tolerated before GOAWAY ENHANCE_YOUR_CALM. Default 2.
        public var maxPingStrikes: Int

        /// Creates a policy; the defaults follow gRPC's server defaults.
        public init(
            maxIdle: Duration? = .seconds(30 * 60), maxAge: Duration? = nil, gracePeriod: Duration = .seconds(30),
            keepaliveInterval: Duration = .seconds(2 * 60 * 60), keepaliveTimeout: Duration = .seconds(20),
            minPingIntervalWithoutCalls: Duration = .seconds(5 * 60), maxPingStrikes: Int = 2
        ) {
            self.maxIdle = maxIdle
            self.maxAge = maxAge
            self.gracePeriod = gracePeriod
            self.keepaliveInterval = keepaliveInterval
            self.keepaliveTimeout = keepaliveTimeout
            self.minPingIntervalWithoutCalls = minPingIntervalWithoutCalls
            self.maxPingStrikes = maxPingStrikes
        }
    }

    /// Creates a configuration. Plaintext HTTP/2 (h2c, prior knowledge): for local use only.
    public init(
        host: String = "127.0.0.1", port: Int, http2: HTTP2Settings = HTTP2Settings(),
        maxReceiveMessageBytes: Int = 4 * 1024 * 1024, threads: Int = System.coreCount,
        connection: ConnectionPolicy = ConnectionPolicy(), tls: ReloadableTLSContext? = nil
    ) {
        self.connection = connection
        self.tls = tls
        self.host = host
        self.port = port
        self.http2 = http2
        self.maxReceiveMessageBytes = maxReceiveMessageBytes
        self.threads = threads
    }
}
