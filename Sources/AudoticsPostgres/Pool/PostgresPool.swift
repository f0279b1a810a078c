import Synchronization

/// A bounded pool of PostgreSQL connections for services: parameterised queries, prepared statements,
/// transactions with retry, pipelined batches and deadlines, without ever blocking an event loop or
/// Swift's cooperative pool.
///
/// **Design: dedicated threads.** Each pooled connection belongs to a worker thread of its own (created on
/// demand, up to `maxConnections`), which makes libpq's blocking calls; callers hand it jobs and wait
/// suspended on continuations. This was chosen over libpq's non-blocking API on an event loop because
/// (1) the connection never changes threads and libpq's connect, prepare, pipeline and error paths are
/// used as designed, (2) a connection's work is serial anyway, so a thread per connection costs only its
/// memory (tens of threads, not thousands), and (3) it is far less code to get right; the price is a
/// thread hop per statement (a few microseconds, against a network round trip), to be measured against
/// `pgbench -S` in `tools/bench`.
///
/// Leases are handed out most-recently-used first; a request waits at most until the earlier of its
/// deadline and `acquireTimeout`, then fails with `53300`. Connections are checked before reuse (socket
/// probe, ping after `healthCheckInterval`), replaced when broken or older than `maxLifetime` (so the pool
/// recovers by itself after a server restart), and closed after `idleTimeout` unused.
public final class PostgresPool: Sendable {
    struct State {
        var machine: PoolStateMachine
        var workers: [PostgresWorker] = []
        var waiters: [UInt64: Waiter] = [:]
        /// Waiters cancelled before their continuation was stored.
        var cancelled: Set<UInt64> = []
        /// Requests given an ID that have not asked the state machine yet.
        var starting: Set<UInt64> = []
        var nextID: UInt64 = 0
        /// The one task that fails waiters at their time limits, and when it next wakes (nil: no task).
        var timer: Task<Void, Never>?
        var timerWakesAt: ContinuousClock.Instant?
    }

    struct Waiter {
        var continuation: CheckedContinuation<Result<PostgresWorker, PostgresError>, Never>
        /// When the waiter gives up (the earlier of its deadline and `acquireTimeout`).
        var waitUntil: ContinuousClock.Instant
    }

    /// The configuration the pool was created with.
    public let configuration: Configuration
    let state: Mutex<State>
    let counters = PoolCounters()

    /// Creates a pool; no connection opens until the first lease.
    public init(configuration: Configuration) {
        self.configuration = configuration
        state = Mutex(State(machine: PoolStateMachine(capacity: max(1, configuration.maxConnections))))
    }

    deinit {
        state.withLock { state in
            for worker in state.workers { worker.queue.stop() }
        }
    }

    /// Leases a connection for `body`, waiting until the earlier of `deadline` and `acquireTimeout`.
    ///
    /// Statements through the lease get `statement_timeout` from `deadline`. The lease ends when `body`
    /// returns; a transaction `body` left open is rolled back. Throws `53300` if no connection frees up in
    /// time, `08003` after shutdown, `08001` if a connection cannot be opened, and whatever `body` throws.
    public func withConnection<Value>(
        deadline: ContinuousClock.Instant? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresPooledConnection) async throws -> Value
    ) async throws -> Value {
        let (worker, lease) = try await acquire(deadline: deadline)
        let connection = PostgresPooledConnection(worker: worker, lease: lease, deadline: deadline, inTransaction: false)
        defer { release(worker) }
        return try await body(connection)
    }

    /// Runs one query on a leased connection; see `PostgresPooledConnection.query(_:)`.
    public func query(_ query: PostgresQuery, deadline: ContinuousClock.Instant? = nil) async throws(PostgresError) -> PostgresRows {
        let (worker, lease) = try await acquire(deadline: deadline)
        defer { release(worker, cleaned: true) }
        return try await PostgresPooledConnection(worker: worker, lease: lease, deadline: deadline, inTransaction: false)
            .query(query, endingLease: true)
    }

    /// Runs a batch in one round trip on a leased connection; see `PostgresPooledConnection.pipeline(_:)`.
    public func pipeline(_ queries: [PostgresQuery], deadline: ContinuousClock.Instant? = nil) async throws(PostgresError) -> [PostgresRows] {
        let (worker, lease) = try await acquire(deadline: deadline)
        defer { release(worker, cleaned: true) }
        return try await PostgresPooledConnection(worker: worker, lease: lease, deadline: deadline, inTransaction: false)
            .pipeline(queries, endingLease: true)
    }

    /// Stops leasing, fails waiting requests with `08003`, closes free connections now and leased ones when
    /// they are given back, and returns once every worker thread has ended.
    public func shutdown() async {
        let (waiters, free, workers) = state.withLock { state in
            let (waiterIDs, free) = state.machine.shutDown()
            let waiters = waiterIDs.compactMap { state.waiters.removeValue(forKey: $0) }
            return (waiters, free.map { state.workers[$0] }, state.workers)
        }
        state.withLock { state in
            state.timer?.cancel()
            state.timer = nil
            state.timerWakesAt = nil
        }
        for waiter in waiters {
            waiter.continuation.resume(returning: .failure(Self.shutDownError))
        }
        // Leased workers are stopped by `release` when their holders are done.
        for worker in free { worker.queue.stop() }
        for worker in workers { await worker.queue.waitForExit() }
    }

    /// Runs until the task is cancelled, then shuts the pool down (for a service group's lifecycle).
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await shutdown()
    }

    static let shutDownError = PostgresError(code: .connectionDoesNotExist, message: "the pool is shut down")
}
