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
/// thread hop per statement (a few microseconds, against a network round trip), measured against
/// `pgbench -S` in `tools/bench`. Under load one-statement requests (`query`) do not pay it per statement:
/// they queue as jobs, and a worker takes the waiting ones along in one pipelined round trip, on its own
/// thread, without handing its lease back through the callers' executors (see `query(_:deadline:)`).
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
        /// Hands the waiter its worker, or its failure; called exactly once, on whichever thread decided.
        var deliver: @Sendable (Result<PostgresWorker, PostgresError>) -> Void
        /// For a one-statement request (`query`), the statement: a worker running statements may take it along.
        var statement: StatementJob?
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

    /// Runs one query on a pooled connection; see `PostgresPooledConnection.query(_:)`.
    ///
    /// The statement travels as a job: it waits in the pool's queue when no connection is free, and a worker
    /// that runs statements takes the ones waiting along (oldest first, its share of the queue, at most
    /// `statementBatchLimit` in all; see `takeWaitingStatements`) and sends them in one round trip
    /// (`executeEach`: each statement in its own implicit transaction, with its own result or error). Under load
    /// a connection thus goes from one batch to the next on its own thread, without a hand-over through the
    /// callers' executors, and one wake-up serves several statements.
    ///
    /// Cancelling the calling task fails the call with `57014` (see `StatementJob.cancel`): a waiting statement
    /// leaves the queue, one running alone is cancelled on the server, and one sent in a batch with others runs
    /// to its end with its result dropped.
    public func query(_ query: PostgresQuery, deadline: ContinuousClock.Instant? = nil) async throws(PostgresError) -> PostgresRows {
        try query.checkParameterCount()
        if Task.isCancelled {
            throw PostgresError(code: .queryCanceled, message: "the task was cancelled before the statement was sent")
        }
        let (id, waitUntil) = registerRequest(deadline: deadline)
        let job = StatementJob(query: query, deadline: deadline)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<PostgresRows, PostgresError>, Never>) in
                job.attach(continuation)
                // Even for a job cancelled already: the lease request cleans up after the cancellation.
                startLease(id: id, waitUntil: waitUntil, statement: job) { [self] leased in
                    switch leased {
                    case .failure(let error): job.complete(.failure(error))
                    case .success(let worker): runStatements(startingWith: job, on: worker, lease: id)
                    }
                }
            }
        } onCancel: {
            abandon(waiter: id, error: PostgresError(code: .queryCanceled, message: "cancelled while waiting for a pooled connection"))
            job.cancel()
        }
        return try result.get()
    }

    /// How many waiting statements a worker running statements sends together at most.
    static let statementBatchLimit = 16

    /// Runs `first` on `worker` (leased to it as `lease`), with the statements waiting behind it, then
    /// releases the worker, on its thread, so the next statement in the queue starts there at once.
    private func runStatements(startingWith first: StatementJob, on worker: PostgresWorker, lease: UInt64) {
        worker.queue.setLease(lease)
        let accepted = worker.queue.submit(lease: lease) { [self] context in
            let candidates = [first] + takeWaitingStatements(max: Self.statementBatchLimit - 1, fitting: first.deadline)
            // Only a statement running alone can be cancelled on the server (see `query`).
            let token = candidates.count == 1 ? worker.canceller.makeToken() : nil
            let jobs = candidates.filter { $0.start(alone: token.map { (worker.canceller, $0) }) }
            if let token { worker.canceller.begin(token) }
            let results = jobs.isEmpty ? [] : context.runStatements(jobs.map { ($0.query, $0.deadline) })
            if token != nil { worker.canceller.end() }
            context.resetAfterLease()
            // Released before the callers resume, so that a caller's next request finds the connection free.
            release(worker, cleaned: true)
            for (job, result) in zip(jobs, results) { job.complete(result) }
        }
        if !accepted {
            first.complete(.failure(PostgresError(
                code: .connectionDoesNotExist, message: "the connection's lease ended or the pool was shut down")))
            release(worker, cleaned: true)
        }
    }

    /// Takes waiting statements out of the queue, oldest first, to ride on the caller's lease: at most `max`, and
    /// at most this connection's share of the queue (the waiters divided among the leased connections, rounded
    /// up), so that slow statements spread over the connections instead of queueing behind one.
    ///
    /// Only statements that need the first one's `statement_timeout` are taken: with a deadline whose time left
    /// that timeout fits, or, behind a statement without a deadline, without one too. A statement in a batch waits
    /// for those before it, and this bounds that wait by a limit like its own (a caller without a deadline has
    /// none); a cancelled caller is let go at once in any case.
    private func takeWaitingStatements(max: Int, fitting deadline: ContinuousClock.Instant?) -> [StatementJob] {
        guard max > 0 else { return [] }
        let now = ContinuousClock.now
        let firstLeft = deadline.flatMap { PostgresSession.milliseconds(from: now, until: $0) }
        if deadline != nil && firstLeft == nil { return [] }  // the first one's deadline passed: it fails alone
        func fits(_ statement: StatementJob) -> Bool {
            guard let firstLeft else { return statement.deadline == nil }
            guard let theirs = statement.deadline, let left = PostgresSession.milliseconds(from: now, until: theirs) else { return false }
            return PostgresSession.timeout(firstLeft, fits: left)
        }
        return state.withLock { state in
            let leased = Swift.max(1, state.machine.leasedCount)
            let share = Swift.min(max, (state.machine.waiters.count + leased - 1) / leased)
            guard share > 0 else { return [] }
            var taken: [StatementJob] = []
            for id in state.machine.waiters {
                guard let statement = state.waiters[id]?.statement, fits(statement) else { continue }
                _ = state.machine.abandonWait(waiter: id)
                state.waiters[id] = nil
                taken.append(statement)
                if taken.count == share { break }
            }
            return taken
        }
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
            waiter.deliver(.failure(Self.shutDownError))
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

/// One statement of `PostgresPool.query`, and its caller waiting for the result: resumed exactly once, by the
/// worker with the result or earlier by a failure (no connection in time, shutdown, cancellation).
final class StatementJob: Sendable {
    let query: PostgresQuery
    let deadline: ContinuousClock.Instant?

    private struct State {
        var continuation: CheckedContinuation<Result<PostgresRows, PostgresError>, Never>?
        var cancelled = false
        /// While the statement runs alone: the worker's canceller and the job's token.
        var alone: (canceller: QueryCanceller, token: UInt64)?
    }

    private let state = Mutex(State())

    init(query: PostgresQuery, deadline: ContinuousClock.Instant?) {
        self.query = query
        self.deadline = deadline
    }

    static let cancelledError = PostgresError(code: .queryCanceled, message: "the task was cancelled; the statement's result is dropped")

    /// Stores the caller's continuation; a job cancelled before is failed at once.
    func attach(_ continuation: CheckedContinuation<Result<PostgresRows, PostgresError>, Never>) {
        let cancelled = state.withLock { state in
            if !state.cancelled { state.continuation = continuation }
            return state.cancelled
        }
        if cancelled { continuation.resume(returning: .failure(Self.cancelledError)) }
    }

    /// Resumes the caller with `result`, unless it was resumed already.
    func complete(_ result: Result<PostgresRows, PostgresError>) {
        let continuation = state.withLock { state in
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: result)
    }

    /// Called by the worker before it sends the statement; false (and the caller failed with `57014`) when the
    /// caller cancelled. `alone`: the statement runs by itself, and a cancellation asks the server to stop it.
    func start(alone: (canceller: QueryCanceller, token: UInt64)?) -> Bool {
        let cancelled = state.withLock { state in
            if !state.cancelled { state.alone = alone }
            return state.cancelled
        }
        if cancelled { complete(.failure(Self.cancelledError)) }
        return !cancelled
    }

    /// The caller's task was cancelled. A statement running alone is cancelled on the server (its `57014`
    /// reaches the caller); otherwise the caller is failed now: a statement not yet sent never will be, and one
    /// sent in a batch runs to its end (a cancel request would hit whichever statement of the batch is running),
    /// its result dropped.
    func cancel() {
        let alone = state.withLock { state in
            state.cancelled = true
            return state.alone
        }
        if let alone {
            alone.canceller.cancel(token: alone.token)
        } else {
            complete(.failure(Self.cancelledError))
        }
    }
}

extension PostgresQuery {
    /// The protocol carries at most 65,535 parameters per statement: `54000` above that.
    func checkParameterCount() throws(PostgresError) {
        guard bindings.count <= Int(UInt16.max) else {
            throw PostgresError(code: SQLState(rawValue: "54000"), message: "more than 65535 parameters")
        }
    }
}
