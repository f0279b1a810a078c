public import Logging

extension PostgresPool {
    /// How a pool connects and how it bounds its connections.
    public struct Configuration: Sendable {
        /// Where to connect: a libpq URL or key=value string; multi-host strings
        /// (`postgresql://h1:5432,h2:5432/db?target_session_attrs=read-write`) are tried in order by libpq.
        public var connectionString: PostgresConnectionString
        /// The most connections the pool opens.
        public var maxConnections: Int = 8
        /// The most independent statements (or batches) of different callers one connection carries at once:
        /// when every connection has work in flight, further statements are pipelined behind it, up to this many
        /// per connection, before they wait for one. 1 turns pipelining across callers off.
        public var maxPipelinedStatements: Int = 16
        /// The longest a lease request waits for a free connection when the caller's deadline is later or absent.
        public var acquireTimeout: Duration = .seconds(10)
        /// A connection unused for this long is closed (and reopened when needed).
        public var idleTimeout: Duration = .seconds(300)
        /// A connection older than this is replaced the next time it is free.
        public var maxLifetime: Duration = .seconds(3600)
        /// A connection unused for this long is pinged (one round trip) before reuse. A connection the server
        /// closes is noticed at once anyway: the pool watches every socket.
        public var healthCheckInterval: Duration = .seconds(30)
        /// libpq's `connect_timeout` in seconds, when the connection string does not set one.
        public var connectTimeoutSeconds: Int = 5
        /// The most prepared statements a connection keeps before it deallocates them all.
        public var maxPreparedStatements: Int = 512
        /// Where notices and pool events are logged.
        public var logger: Logger
        /// Called (on the pool's thread) for every notice the server sends; keep it short.
        public var noticeHandler: (@Sendable (PostgresNotice) -> Void)?

        /// A configuration for `connectionString` with the defaults above.
        public init(connectionString: PostgresConnectionString, logger: Logger = Logger(label: "audotics.postgres")) {
            self.connectionString = connectionString
            self.logger = logger
        }

        /// A configuration for a libpq URL, validated first (`08001` if libpq rejects it).
        public init(url: String, logger: Logger = Logger(label: "audotics.postgres")) throws(PostgresError) {
            self.init(connectionString: try PostgresConnectionString(url), logger: logger)
        }
    }
}
