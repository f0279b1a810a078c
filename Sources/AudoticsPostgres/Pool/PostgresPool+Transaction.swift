extension PostgresPool {
    /// Runs `body` in a transaction on one leased connection: commits when it returns, rolls back when it
    /// throws, and runs it again from the start (up to `maxAttempts` in all, after a short jittered backoff)
    /// when the transaction fails with `40001` serialization failure or `40P01` deadlock detected.
    ///
    /// `body` may therefore run more than once: keep side effects other than the transaction's statements
    /// out of it. With a `deadline`, the transaction runs under `SET LOCAL statement_timeout` (the time left
    /// when it begins), so a statement still running at the deadline fails with `57014`, which is not retried.
    public func withTransaction<Value>(
        isolation level: PostgresIsolationLevel = .readCommitted,
        deadline: ContinuousClock.Instant? = nil,
        maxAttempts: Int = 5,
        callerIsolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresPooledConnection) async throws -> Value
    ) async throws -> Value {
        try await withConnection(deadline: deadline, isolation: callerIsolation) { connection in
            let transaction = PostgresPooledConnection(
                pool: self, token: connection.token, deadline: deadline, inTransaction: true)
            var attempt = 1
            while true {
                _ = try await connection.perform(.begin(level))
                do {
                    let value = try await body(transaction)
                    _ = try await transaction.perform(.commit)
                    return value
                } catch {
                    _ = try? await transaction.perform(.rollback)
                    guard let failure = error as? PostgresError, Self.isRetryable(failure.code), attempt < maxAttempts else {
                        throw error
                    }
                    let pause = Self.backoff(attempt: attempt)
                    if let deadline, ContinuousClock.now.advanced(by: pause) >= deadline { throw error }
                    configuration.logger.debug(
                        "retrying a transaction", metadata: ["postgres.sqlstate": "\(failure.code)", "attempt": "\(attempt)"])
                    try await Task.sleep(for: pause)
                    attempt += 1
                }
            }
        }
    }

    /// Whether a failed transaction may succeed if run again.
    static func isRetryable(_ code: SQLState) -> Bool {
        code == .serializationFailure || code == .deadlockDetected
    }

    /// A random pause in [0, min(100 ms, 5 ms × 2^(attempt-1))] ("full jitter"), so that conflicting
    /// transactions do not collide again in lock step.
    static func backoff(attempt: Int) -> Duration {
        let ceiling = min(100_000, 5_000 << min(attempt - 1, 10))
        return .microseconds(Int.random(in: 0...ceiling))
    }
}
