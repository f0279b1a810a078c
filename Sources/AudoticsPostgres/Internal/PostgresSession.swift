#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
internal import CLibPQ

/// One live connection as its worker thread holds it: the libpq connection, its prepared statements, the
/// session's `statement_timeout`, and its notice receiver.
///
/// Confined to the worker thread that created it (never shared, not `Sendable`); every call blocks that
/// thread, and only that thread, on the network.
final class PostgresSession {
    /// The open connection (closed when the session is released).
    let connection: PostgresConnection
    /// When the connection was opened, for the pool's lifetime limit.
    let openedAt: ContinuousClock.Instant
    /// When a statement last completed, for health checks.
    var lastUsed: ContinuousClock.Instant
    var statements: StatementCache
    /// The `statement_timeout` of ours in force at session level, in milliseconds (nil: the server's default).
    /// It stays set between statements and leases; `applyTimeout` changes it only when it no longer fits.
    var timeoutMilliseconds: Int64?
    /// Set when the protocol state is unknown (a pipeline failed midway): the worker must not reuse the session.
    var poisoned = false
    /// Sends cancel requests for the statement in progress from other threads.
    let canceller: QueryCanceller
    private let notices: NoticeSink

    var handle: OpaquePointer { connection.connection }

    /// Connects (blocking) and installs the notice receiver and cancel handle.
    init(configuration: PostgresPool.Configuration, canceller: QueryCanceller) throws(PostgresError) {
        var overrides: [String: String] = [:]
        if configuration.connectionString.options["connect_timeout"] == nil {
            overrides["connect_timeout"] = String(configuration.connectTimeoutSeconds)
        }
        connection = try PostgresConnection(connectionString: configuration.connectionString, overrides: overrides)
        notices = NoticeSink(logger: configuration.logger, handler: configuration.noticeHandler)
        notices.install(on: connection.connection)
        statements = StatementCache(capacity: configuration.maxPreparedStatements)
        openedAt = .now
        lastUsed = openedAt
        self.canceller = canceller
        canceller.attach(connection.connection)
    }

    deinit {
        canceller.detach()
    }

    /// Whether no transaction is open (statements would run in autocommit mode).
    var isIdle: Bool { PQtransactionStatus(handle) == PQTRANS_IDLE }

    /// Whether a transaction is open and a statement in it failed (only ROLLBACK is accepted now).
    var isFailedTransaction: Bool { PQtransactionStatus(handle) == PQTRANS_INERROR }

    /// Whether libpq still considers the connection good.
    var isConnected: Bool { !poisoned && PQstatus(handle) == CONNECTION_OK }

    /// A health check without a round trip: an idle connection has nothing to read, so anything readable is
    /// the server closing it (a restart sends `57P01` then EOF), which libpq notices when it reads.
    func probe() -> Bool {
        let socket = PQsocket(handle)
        guard socket >= 0, isConnected else { return false }
        for _ in 0..<4 {
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { return isConnected }
            guard PQconsumeInput(handle) != 0 else { return false }
            while let notification = PQnotifies(handle) { PQfreemem(notification) }
        }
        return isConnected
    }

    /// A health check with a round trip: an empty query.
    func ping() -> Bool {
        guard let result = PQexec(handle, "") else { return false }
        defer { PQclear(result) }
        return PQresultStatus(result) == PGRES_EMPTY_QUERY && isConnected
    }

    /// Runs trusted SQL of our own (BEGIN, COMMIT, SET …) with the simple protocol: never caller text.
    func executeSimple(_ sql: String) throws(PostgresError) {
        let result = PQexec(handle, sql)
        defer { if let result { PQclear(result) } }
        _ = try ResultReader.read(result, connection: handle)
        lastUsed = .now
    }

    /// Makes the session's `statement_timeout` match `deadline` for statements outside a transaction:
    /// the time left (at least 1 ms), or the server's default when there is no deadline.
    func applyTimeout(_ deadline: ContinuousClock.Instant?) throws(PostgresError) {
        if let deadline {
            let left = try Self.milliseconds(until: deadline)
            if let current = timeoutMilliseconds, Self.timeout(current, fits: left) { return }
            try executeSimple("SET statement_timeout = \(left)")
            timeoutMilliseconds = left
        } else if timeoutMilliseconds != nil {
            try executeSimple("RESET statement_timeout")
            timeoutMilliseconds = nil
        }
    }

    /// Whether a `statement_timeout` of `current` ms already in force can stand for one of `left` ms, which saves
    /// a `SET` round trip per statement (most calls carry similar deadlines). It may end the statement up to 1/64
    /// of its time early (10 s: 156 ms) or a quarter late: the timeout is the server-side backstop, while the
    /// deadline itself is enforced by the caller (the RPC's task is cancelled, which cancels the statement).
    static func timeout(_ current: Int64, fits left: Int64) -> Bool {
        current >= left - left / 64 && current <= left + left / 4
    }

    /// Whole milliseconds left until `deadline` (rounded up), or `57014` if it has passed.
    static func milliseconds(until deadline: ContinuousClock.Instant) throws(PostgresError) -> Int64 {
        guard let left = milliseconds(from: .now, until: deadline) else {
            throw PostgresError(code: .queryCanceled, message: "the deadline passed before the statement was sent")
        }
        return left
    }

    /// Whole milliseconds from `now` until `deadline` (rounded up), or nil if it has passed.
    static func milliseconds(from now: ContinuousClock.Instant, until deadline: ContinuousClock.Instant) -> Int64? {
        let left = now.duration(to: deadline)
        guard left > .zero else { return nil }
        let (seconds, attoseconds) = left.components
        return max(1, seconds * 1_000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    /// The prepared statement for `query`, preparing it on first use (one round trip, then cached).
    ///
    /// In a batch (`clearingWhenFull` false) a full cache is not cleared: that would drop the statements already
    /// named for the batch. `makeRoom(for:)` clears it before the batch instead.
    func preparedName(for query: PostgresQuery, clearingWhenFull: Bool = true) throws(PostgresError) -> String {
        let key = StatementCache.Key(sql: query.sql, types: query.bindings.types)
        if let name = statements.name(for: key) { return name }
        if clearingWhenFull, statements.isFull, isIdle {
            try executeSimple("DEALLOCATE ALL")
            statements.removeAll()
        }
        let name = statements.nextName()
        let types = query.bindings.types.map(\.rawValue)
        let result = PQprepare(handle, name, query.sql, Int32(types.count), types.isEmpty ? nil : types)
        defer { if let result { PQclear(result) } }
        _ = try ResultReader.read(result, connection: handle)
        statements.insert(key, name: name)
        return name
    }

    /// Before a batch: clears the statement cache if the batch's statements not prepared yet would overflow it
    /// (then every statement of the batch is prepared anew, and none is dropped midway).
    func makeRoom(for queries: [PostgresQuery]) throws(PostgresError) {
        // Usually there is room even if every statement were new: no need to look them up.
        guard statements.count + queries.count > statements.capacity else { return }
        let missing = Set(queries.map { StatementCache.Key(sql: $0.sql, types: $0.bindings.types) })
            .filter { statements.name(for: $0) == nil }.count
        guard missing > 0, statements.count + missing > statements.capacity, isIdle else { return }
        try executeSimple("DEALLOCATE ALL")
        statements.removeAll()
    }

    /// Runs one query as a prepared statement (blocking), results in binary format.
    func execute(_ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        let name = try preparedName(for: query)
        let result = query.bindings.withParameterArrays { count, values, lengths, formats in
            PQexecPrepared(handle, name, count, values, lengths, formats, 1)
        }
        defer { if let result { PQclear(result) } }
        let rows = try ResultReader.read(result, connection: handle)
        lastUsed = .now
        return rows
    }
}
