/// A leased connection, valid only inside the `withConnection` or `withTransaction` closure that received
/// it (afterwards every call fails with `08003`).
///
/// Every call runs on the connection's worker thread while the caller is suspended. Outside a transaction
/// each statement gets `statement_timeout` from the lease's deadline (so it fails with `57014` when the
/// deadline passes); inside `withTransaction` the transaction's `SET LOCAL` covers every statement.
/// Cancelling the calling task asks the server to cancel the running statement.
public struct PostgresPooledConnection: Sendable {
    let worker: PostgresWorker
    let lease: UInt64
    /// The lease's deadline, if any.
    public let deadline: ContinuousClock.Instant?
    /// Whether calls run inside `withTransaction`.
    let inTransaction: Bool

    /// Runs one statement as a prepared statement (prepared on this connection on first use of its SQL text
    /// and parameter types, then reused), and returns its rows decoded from binary format.
    ///
    /// Throws the server's error as `PostgresError` (description free of parameter values), `57014` past
    /// the deadline, `08006` when the connection is lost.
    public func query(_ query: PostgresQuery) async throws(PostgresError) -> PostgresRows {
        try query.checkParameterCount()
        let (deadline, inTransaction) = (self.deadline, self.inTransaction)
        return try await worker.run(lease: lease) { context throws(PostgresError) in
            let session = try context.readySession(inTransaction: inTransaction)
            if !inTransaction { try session.applyTimeout(deadline) }
            return try session.execute(query)
        }
    }

    /// Sends every query before reading any result (libpq pipeline mode, one sync at the end) and returns
    /// the results in order: one round trip for the batch.
    ///
    /// Outside a transaction the batch is atomic (one implicit transaction): if a statement fails, nothing
    /// of the batch is committed and the first error is thrown. Inside a transaction a failure aborts the
    /// transaction as any failed statement does.
    public func pipeline(_ queries: [PostgresQuery]) async throws(PostgresError) -> [PostgresRows] {
        try await pipeline(queries, endingLease: false)
    }

    /// `pipeline(_:)`; with `endingLease`, the job also does the clean-up of a lease's end on the worker thread, so
    /// that a one-batch lease wakes the worker once.
    func pipeline(_ queries: [PostgresQuery], endingLease: Bool) async throws(PostgresError) -> [PostgresRows] {
        let (deadline, inTransaction) = (self.deadline, self.inTransaction)
        return try await worker.run(lease: lease) { context throws(PostgresError) in
            defer { if endingLease { context.resetAfterLease() } }
            let session = try context.readySession(inTransaction: inTransaction)
            if !inTransaction { try session.applyTimeout(deadline) }
            return try session.pipeline(queries)
        }
    }

    /// How many prepared statements this connection holds (for tests and diagnostics).
    public func preparedStatementCount() async throws(PostgresError) -> Int {
        try await worker.run(lease: lease) { context throws(PostgresError) in
            context.session?.statements.count ?? 0
        }
    }

    /// Runs our own transaction-control SQL (never caller text) on the connection.
    func control(_ sql: String, inTransaction: Bool) async throws(PostgresError) {
        try await worker.run(lease: lease) { context throws(PostgresError) in
            try context.readySession(inTransaction: inTransaction).executeSimple(sql)
        }
    }
}
