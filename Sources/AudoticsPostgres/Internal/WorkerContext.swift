/// What a worker thread owns: at most one `PostgresSession`, opened on demand, health-checked before reuse,
/// replaced after a failure or past its lifetime, and closed when idle too long.
///
/// Confined to its worker thread (created there, passed only to jobs running there); not `Sendable`.
final class WorkerContext {
    let configuration: PostgresPool.Configuration
    let canceller: QueryCanceller
    let counters: PoolCounters
    private(set) var session: PostgresSession?

    init(configuration: PostgresPool.Configuration, canceller: QueryCanceller, counters: PoolCounters) {
        self.configuration = configuration
        self.canceller = canceller
        self.counters = counters
    }

    /// The session to run a statement on.
    ///
    /// Inside a transaction it is the session the transaction began on, or `08006` if that was lost (a
    /// transaction never moves to a new connection). Otherwise an open session is reused if it passes the
    /// zero-round-trip probe, is younger than the lifetime limit and, when idle past the health-check
    /// interval, answers a ping; else a new connection is opened (`08001` if that fails).
    func readySession(inTransaction: Bool) throws(PostgresError) -> PostgresSession {
        if inTransaction {
            guard let session, session.isConnected else {
                throw PostgresError(code: .connectionFailure, message: "the connection was lost during the transaction")
            }
            return session
        }
        if let session {
            let now = ContinuousClock.now
            if session.isConnected, session.isIdle, session.probe(),
                session.openedAt.duration(to: now) < configuration.maxLifetime,
                session.lastUsed.duration(to: now) < configuration.healthCheckInterval || session.ping()
            {
                return session
            }
            close()
        }
        let session = try PostgresSession(configuration: configuration, canceller: canceller)
        counters.connectionOpened()
        self.session = session
        return session
    }

    /// After every job: a connection libpq reports broken is closed now, so the next job reconnects.
    func afterJob() {
        if let session, !session.isConnected { close() }
    }

    /// When a lease ends: rolls back a transaction the holder left open. A session-level `statement_timeout`
    /// stays: the next statement keeps it, changes it or resets it (`PostgresSession.applyTimeout`).
    func resetAfterLease() {
        guard let session, session.isConnected else { return close() }
        if !session.isIdle { try? session.executeSimple("ROLLBACK") }
        afterJob()
    }

    /// Closes the connection if one is open (idle timeout, failure, shutdown).
    func close() {
        guard session != nil else { return }
        session = nil
        counters.connectionClosed()
    }
}
