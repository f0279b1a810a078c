/// A bounded pool of PostgreSQL connections for services: parameterised queries, prepared statements,
/// transactions with retry, pipelined batches and deadlines, without ever blocking an event loop or
/// Swift's cooperative pool.
///
/// **Design: one loop thread, libpq non-blocking.** Every connection of a pool belongs to one thread of the
/// pool's own (`PoolLoop`), which drives them all with libpq's non-blocking API in pipeline mode and watches
/// their sockets with epoll. Callers hand it requests and wait suspended on continuations; under load the thread
/// stays awake and a request costs no wake-up of its own, and answers for several callers come in one read.
/// Only connecting (libpq's connect blocks, for DNS and authentication) and cancel requests run on short-lived
/// threads of their own. This replaced a thread per connection, which cost two thread wake-ups per statement
/// (measured in docs/benchmarks.md, "The pool's loop").
///
/// **Sharing connections.** One-statement requests (`query`) and batches (`pipeline`) do not lease a connection:
/// each goes to the least loaded one as a group of its own, ended by its own sync, so it runs in its own implicit
/// transaction with its own result or error. When every connection has work in flight, further groups are
/// pipelined behind it, up to `maxPipelinedStatements` per connection, and only then wait. A slow statement can
/// thus delay the ones behind it on its connection; callers' deadlines still hold, since a cancelled caller is
/// answered at once (see `query(_:deadline:)`).
///
/// **Leases** (`withConnection`, `withTransaction`) get a connection with nothing of another caller in flight,
/// the most recently used first; when the pool is full, a busy connection is reserved (it takes no new
/// statements) until it drains. A request waits at most until the earlier of its deadline and
/// `acquireTimeout`, then fails with `53300`. The pool notices at once when the server closes a connection (it
/// watches every socket), pings connections unused for `healthCheckInterval` before reuse, replaces them after
/// `maxLifetime` and closes them after `idleTimeout` unused; so it recovers by itself after a server restart.
public final class PostgresPool: Sendable {
    /// The configuration the pool was created with.
    public let configuration: Configuration
    /// The loop thread; nil if the system refused it the descriptors it needs (every request then fails).
    let loop: PoolLoop?
    let counters = PoolCounters()

    /// Creates a pool and its thread; no connection opens until the first request.
    public init(configuration: Configuration) {
        var configuration = configuration
        configuration.maxConnections = max(1, configuration.maxConnections)
        configuration.maxPipelinedStatements = max(1, configuration.maxPipelinedStatements)
        self.configuration = configuration
        loop = PoolLoop(configuration: configuration, counters: counters)
    }

    deinit {
        loop?.submit(.shutdown(nil))
    }

    static let shutDownError = PostgresError(code: .connectionDoesNotExist, message: "the pool is shut down")

    /// Hands `work` to the loop and waits for its answer. Cancelling the calling task: a request still waiting
    /// fails with `57014` at once; a statement running alone on its connection is cancelled on the server (its
    /// `57014` answers the caller); one pipelined with other callers' statements runs to its end, its result
    /// dropped, and the caller is answered with `57014` at once.
    func perform(
        _ work: PoolWork, deadline: ContinuousClock.Instant?, lease: LeaseToken? = nil, inTransaction: Bool = false
    ) async throws(PostgresError) -> PoolReply {
        if Task.isCancelled {
            throw PostgresError(code: .queryCanceled, message: "the task was cancelled before the statement was sent")
        }
        guard let loop else {
            throw PostgresError(code: SQLState(rawValue: "58000"), message: "the pool has no thread: the system refused it a descriptor")
        }
        let limit = ContinuousClock.now.advanced(by: configuration.acquireTimeout)
        let request = PoolRequest(
            work: work, deadline: deadline, lease: lease, inTransaction: inTransaction,
            waitUntil: deadline.map { min($0, limit) } ?? limit)
        let outcome = await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<PoolRequest.Outcome, Never>) in
                if request.attach(continuation), !loop.submit(.request(request)) {
                    request.complete(.failure(Self.shutDownError))
                }
            }
        } onCancel: {
            if request.markCancelled() { loop.submit(.cancel(request)) }
        }
        return try outcome.get()
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
        guard case .lease(let token) = try await perform(.lease, deadline: deadline) else { throw Self.unexpectedReply }
        defer { loop?.submit(.release(token)) }
        return try await body(PostgresPooledConnection(pool: self, token: token, deadline: deadline, inTransaction: false))
    }

    static let unexpectedReply = PostgresError(code: .internalError, message: "the pool answered a request with the wrong kind of reply")

    /// Runs one statement, as a prepared statement (prepared on each connection on first use of its SQL text
    /// and parameter types, then reused), and returns its rows decoded from binary format.
    ///
    /// It runs in an implicit transaction of its own, under `statement_timeout` from `deadline` (the server's
    /// default without one), on the least loaded connection (see the type's notes). Throws the server's error as
    /// `PostgresError` (description free of parameter values), `57014` past the deadline or when the calling
    /// task is cancelled, `53300` when no connection could take it in time, `08006` when the connection is lost.
    public func query(_ query: PostgresQuery, deadline: ContinuousClock.Instant? = nil) async throws(PostgresError) -> PostgresRows {
        try query.checkParameterCount()
        guard case .rows(let rows) = try await perform(.statement(query), deadline: deadline) else { throw Self.unexpectedReply }
        return rows
    }

    /// Sends every query before reading any result (libpq pipeline mode, one sync at the end) and returns the
    /// results in order: one round trip for the batch, which is atomic (one implicit transaction): if a statement
    /// fails, nothing of the batch is committed and the first error is thrown.
    public func pipeline(_ queries: [PostgresQuery], deadline: ContinuousClock.Instant? = nil) async throws(PostgresError) -> [PostgresRows] {
        guard !queries.isEmpty else { return [] }
        for query in queries { try query.checkParameterCount() }
        guard case .batch(let rows) = try await perform(.pipeline(queries), deadline: deadline) else { throw Self.unexpectedReply }
        return rows
    }

    /// Stops leasing, fails waiting requests with `08003`, closes free connections now and leased ones when
    /// they are given back, and returns once the pool's thread has ended.
    public func shutdown() async {
        guard let loop else { return }
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            if !loop.submit(.shutdown(continuation)) { continuation.resume() }
        }
        await loop.waitForExit()
    }

    /// Runs until the task is cancelled, then shuts the pool down (for a service group's lifecycle).
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await shutdown()
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
