extension PostgresPool {
    /// A snapshot of the pool's state.
    public struct Statistics: Sendable, Hashable {
        /// Worker threads started (at most `maxConnections`).
        public var workers: Int
        /// Workers leased right now.
        public var leased: Int
        /// Lease requests waiting for a worker.
        public var waiting: Int
        /// Connections opened since the pool started (reconnections included).
        public var connectionsOpened: Int
        /// Connections closed since the pool started.
        public var connectionsClosed: Int
        /// Statements of `query` sent in a batch with others since the pool started (see `query(_:deadline:)`).
        public var statementsBatched: Int = 0

        /// Connections open right now.
        public var openConnections: Int { connectionsOpened - connectionsClosed }
    }

    /// The pool's current state.
    public var statistics: Statistics {
        let counts = counters.snapshot
        return state.withLock { state in
            Statistics(
                workers: state.machine.workerCount, leased: state.machine.leasedCount, waiting: state.machine.waiters.count,
                connectionsOpened: counts.opened, connectionsClosed: counts.closed, statementsBatched: counts.batched)
        }
    }
}
