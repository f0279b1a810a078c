public import AudoticsRedis

/// How a `RedisClient` connects, and the limits it keeps.
///
/// Every limit is explicit so that neither a slow nor a hostile server can make the client grow without bound:
/// at most `connectionCount` connections, at most `maximumPipelineDepth` commands awaiting replies on each, replies
/// within `readerLimits`, and every command answered within `commandTimeout` or failed.
public struct RedisConfiguration: Sendable, Hashable {
    /// The server, credentials and database.
    public var endpoint: RedisEndpoint
    /// The most connections the client opens (lazily: a second opens only while the first is busy). Each carries
    /// any number of callers' commands, pipelined, so a few suffice; default 2.
    public var connectionCount: Int
    /// How long one TCP connect, including `AUTH` and `SELECT`, may take; default 1 s.
    public var connectTimeout: Duration
    /// How long a command (or a whole pipeline) may wait for its reply unless the call gives its own; default
    /// 500 ms. A command that times out closes its connection: replies on it can no longer be matched to commands.
    public var commandTimeout: Duration
    /// The most commands one connection has awaiting replies; beyond it (on every connection) commands fail at once
    /// with `limitExceeded` instead of queueing. A single pipeline larger than this is refused. Default 10,000.
    public var maximumPipelineDepth: Int
    /// Bounds on each reply (64 MiB buffered, 1,048,576 array elements by default).
    public var readerLimits: RESPReaderLimits
    /// The wait before reconnecting after a failed connect, growing with each failure; commands fail at once with
    /// `unavailable` while every connection is backing off.
    public var reconnectBackoff: RedisBackoff
    /// When consecutive failures make the client stop trying for a while (see `RedisCircuitBreakerPolicy`).
    public var circuitBreaker: RedisCircuitBreakerPolicy

    /// Creates a configuration for `endpoint` with the defaults above.
    public init(
        endpoint: RedisEndpoint, connectionCount: Int = 2, connectTimeout: Duration = .seconds(1),
        commandTimeout: Duration = .milliseconds(500), maximumPipelineDepth: Int = 10_000,
        readerLimits: RESPReaderLimits = .default, reconnectBackoff: RedisBackoff = RedisBackoff(),
        circuitBreaker: RedisCircuitBreakerPolicy = RedisCircuitBreakerPolicy()
    ) {
        precondition(connectionCount >= 1, "a Redis client needs at least one connection")
        precondition(maximumPipelineDepth >= 1, "the pipeline depth must allow one command")
        self.endpoint = endpoint
        self.connectionCount = connectionCount
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.maximumPipelineDepth = maximumPipelineDepth
        self.readerLimits = readerLimits
        self.reconnectBackoff = reconnectBackoff
        self.circuitBreaker = circuitBreaker
    }

    /// Creates a configuration from a `redis://[[user]:password@]host[:port][/db]` URL with the defaults above.
    public init(url: String) throws(RedisError) {
        self.init(endpoint: try RedisEndpoint(url: url))
    }
}
