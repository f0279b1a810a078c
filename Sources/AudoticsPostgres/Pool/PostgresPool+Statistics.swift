extension PostgresPool {
    /// A snapshot of the pool's state.
    public struct Statistics: Sendable, Hashable {
        /// Connections open or being opened (at most `maxConnections`).
        public var connections: Int
        /// Connections leased right now (`withConnection`, `withTransaction`).
        public var leased: Int
        /// Requests waiting for a connection.
        public var waiting: Int
        /// Connections opened since the pool started (reconnections included).
        public var connectionsOpened: Int
        /// Connections closed since the pool started.
        public var connectionsClosed: Int
        /// Connection attempts that failed since the pool started (while the server is unreachable they back
        /// off from 25 ms to 500 ms apart).
        public var connectionAttemptsFailed: Int = 0
        /// Statements and batches of `query` and `pipeline` sent to a connection along with other callers' (in
        /// one turn of the pool's loop, or while others were in flight on it) since the pool started.
        public var statementsBatched: Int = 0

        /// Connections open right now.
        public var openConnections: Int { connectionsOpened - connectionsClosed }
    }

    /// The pool's current state.
    public var statistics: Statistics {
        let counts = counters.snapshot
        var statistics = loop?.statistics.withLock { $0 } ?? Statistics(connections: 0, leased: 0, waiting: 0, connectionsOpened: 0, connectionsClosed: 0)
        statistics.connectionsOpened = counts.opened
        statistics.connectionsClosed = counts.closed
        statistics.statementsBatched = counts.batched
        statistics.connectionAttemptsFailed = counts.failed
        return statistics
    }
}
