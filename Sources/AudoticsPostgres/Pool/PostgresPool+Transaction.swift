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
                worker: connection.worker, lease: connection.lease, deadline: deadline, inTransaction: true)
            var attempt = 1
            while true {
                try await connection.begin(level, deadline: deadline)
                do {
                    let value = try await body(transaction)
                    try await transaction.commit()
                    return value
                } catch {
                    try? await transaction.control("ROLLBACK", inTransaction: true)
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

extension PostgresPooledConnection {
    /// Begins a transaction, with `statement_timeout` from `deadline` for all of it.
    func begin(_ level: PostgresIsolationLevel, deadline: ContinuousClock.Instant?) async throws(PostgresError) {
        try await worker.run(lease: lease) { context throws(PostgresError) in
            let session = try context.readySession(inTransaction: false)
            // SET LOCAL overrides a session-level timeout left by earlier statements, in the same round trip
            // (`DEFAULT`: the server's own setting, as RESET would give).
            var sql = "BEGIN ISOLATION LEVEL \(level.rawValue)"
            if let deadline {
                sql += "; SET LOCAL statement_timeout = \(try PostgresSession.milliseconds(until: deadline))"
            } else if session.timeoutMilliseconds != nil {
                sql += "; SET LOCAL statement_timeout = DEFAULT"
            }
            try session.executeSimple(sql)
        }
    }

    /// Commits; a transaction that already failed is rolled back and reported as `25P02`, since COMMIT
    /// would silently roll it back.
    func commit() async throws(PostgresError) {
        try await worker.run(lease: lease) { context throws(PostgresError) in
            let session = try context.readySession(inTransaction: true)
            guard !session.isFailedTransaction else {
                try session.executeSimple("ROLLBACK")
                throw PostgresError(code: .inFailedTransaction, message: "a statement of the transaction failed; rolled back")
            }
            try session.executeSimple("COMMIT")
        }
    }
}
