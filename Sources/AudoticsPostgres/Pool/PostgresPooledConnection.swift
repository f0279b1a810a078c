/// A leased connection, valid only inside the `withConnection` or `withTransaction` closure that received
/// it (afterwards every call fails with `08003`).
///
/// Calls run on the pool's thread while the caller is suspended. Outside a transaction each statement gets
/// `statement_timeout` from the lease's deadline (so it fails with `57014` when the deadline passes); inside
/// `withTransaction` the transaction's `SET LOCAL` covers every statement. Cancelling the calling task asks the
/// server to cancel the running statement.
public struct PostgresPooledConnection: Sendable {
    let pool: PostgresPool
    let token: LeaseToken
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
        guard case .rows(let rows) = try await perform(.statement(query)) else { throw PostgresPool.unexpectedReply }
        return rows
    }

    /// Sends every query before reading any result (libpq pipeline mode, one sync at the end) and returns
    /// the results in order: one round trip for the batch.
    ///
    /// Outside a transaction the batch is atomic (one implicit transaction): if a statement fails, nothing
    /// of the batch is committed and the first error is thrown. Inside a transaction a failure aborts the
    /// transaction as any failed statement does.
    public func pipeline(_ queries: [PostgresQuery]) async throws(PostgresError) -> [PostgresRows] {
        guard !queries.isEmpty else { return [] }
        for query in queries { try query.checkParameterCount() }
        guard case .batch(let rows) = try await perform(.pipeline(queries)) else { throw PostgresPool.unexpectedReply }
        return rows
    }

    /// How many prepared statements this connection holds (for tests and diagnostics).
    public func preparedStatementCount() async throws(PostgresError) -> Int {
        guard case .count(let count) = try await perform(.preparedStatementCount) else { throw PostgresPool.unexpectedReply }
        return count
    }

    func perform(_ work: PoolWork) async throws(PostgresError) -> PoolReply {
        try await pool.perform(work, deadline: deadline, lease: token, inTransaction: inTransaction)
    }
}
