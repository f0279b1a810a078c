#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
internal import CLibPQ
internal import COpenSSL

/// One open connection as the pool loop drives it: libpq in non-blocking pipeline mode, so that statements of
/// several callers can be on their way at once, each group of messages ended by its own sync.
///
/// Every unit of work is a *group*: one or more statements followed by a sync. The server answers each statement
/// (a failure skips the rest of its group) and then the sync, in order, so the groups in flight form a queue whose
/// head the next results belong to. A group outside an explicit transaction is one implicit transaction.
///
/// Confined to the pool loop's thread (not `Sendable`): created there from a connection a connector thread
/// opened, and closed there.
final class LoopConnection {
    /// The pool's number for the connection (its epoll token; never 0, never reused).
    let id: UInt64
    /// Owns libpq's connection; `PQfinish` runs when it goes.
    let connection: PostgresConnection
    let socket: Int32
    let openedAt: ContinuousClock.Instant
    /// When work was last given to the connection or answered by it (idle timeout, health check).
    var lastUsed: ContinuousClock.Instant
    var statements: StatementCache
    /// Statements whose prepare group is still in flight, and how it will turn out.
    var pendingPrepares: [StatementCache.Key: PrepareOutcome] = [:]
    /// Our `statement_timeout` at session level as of the last group sent.
    var timeout: TimeoutSetting = .serverDefault
    private let notices: NoticeSink

    /// The groups sent and not yet answered, oldest first.
    private(set) var groups = FIFO<Group>()
    /// How many of them carry a caller's request.
    private(set) var requestGroups = 0
    /// The result being read is a statement's, and libpq's NULL that ends it comes next.
    private var awaitingEnd = false

    /// The lease holding the connection, if any.
    var lease: UInt64?
    /// Kept free of new statements so that it drains for a waiting lease.
    var reserved = false
    /// A health-check ping is on its way; no new work until it is answered.
    var checking = false
    /// A cancel request is on its way, or waits for its statement to reach the head of the pipeline (`cancelTarget`);
    /// no new work until it has been sent, so that it cannot hit the wrong statement.
    var cancelling = false
    /// The request to cancel once the groups ahead of it (our own housekeeping) are answered.
    var cancelTarget: PoolRequest?
    /// Past its lifetime: it takes no new work and closes once drained.
    var retiring = false
    /// Work of the lease holder that arrived while a cancel request was on its way.
    var held: [PoolRequest] = []
    /// Callers' requests placed on the connection during the current turn of the loop, and whether it carried
    /// others' already (for `Statistics.statementsBatched`).
    var roundPlaced = 0
    var roundBusy = false
    /// libpq holds output the socket did not take yet: epoll watches for writability.
    private(set) var wantsWrite = false

    enum TimeoutSetting: Equatable {
        case serverDefault
        case milliseconds(Int64)
        /// A `SET` failed: the next statement sets it again.
        case unknown
    }

    /// One group in flight and what its answers are for.
    struct Group {
        var purpose: Purpose
        /// Results received so far, one per statement sent.
        var results: [Result<PostgresRows, PostgresError>] = []
    }

    enum Purpose {
        /// Our own `SET`/`RESET statement_timeout`, `DEALLOCATE ALL`, ROLLBACK after a lease.
        case housekeeping
        /// A health-check ping before reuse.
        case ping
        /// Preparing a statement for the cache under `name`.
        case prepare(StatementCache.Key, name: String, PrepareOutcome)
        /// A caller's request: `shape` says how its results become the answer; `prepares` are the statements it
        /// needed prepared first (their failure is its failure).
        case request(PoolRequest, Shape, prepares: [PrepareOutcome])
    }

    enum Shape {
        case one
        case batch
        /// Our own statements; `failure` is reported even when they succeed (a ROLLBACK instead of a COMMIT).
        case control(failure: PostgresError?)
        /// `COMMIT`: the server answers with the tag `ROLLBACK` when the transaction had failed.
        case commit
    }

    /// Whether a prepare sent earlier failed (a statement using it must fail with the same error).
    final class PrepareOutcome {
        var error: PostgresError?
    }

    init(id: UInt64, connection: PostgresConnection, configuration: PostgresPool.Configuration) throws(PostgresError) {
        let handle = connection.connection
        guard PQsetnonblocking(handle, 1) == 0, PQenterPipelineMode(handle) == 1 else {
            throw PostgresError(
                code: .unableToConnect, message: "cannot switch the connection to pipeline mode: \(PostgresConnection.libpqMessage(handle))")
        }
        self.id = id
        self.connection = connection
        socket = PQsocket(handle)
        openedAt = .now
        lastUsed = openedAt
        statements = StatementCache(capacity: configuration.maxPreparedStatements)
        notices = NoticeSink(logger: configuration.logger, handler: configuration.noticeHandler)
        notices.install(on: handle)
    }

    var handle: OpaquePointer { connection.connection }

    /// Whether libpq still considers the connection good.
    var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The transaction status as of the last answered sync (meaningful when nothing is in flight).
    var transactionStatus: PGTransactionStatusType { PQtransactionStatus(handle) }

    /// Whether no group is in flight.
    var isQuiet: Bool { groups.isEmpty }

    // MARK: Sending

    /// Sends one group: `body` queues its statements (false: libpq refused one), then the sync goes out.
    /// False when the connection failed; the caller closes it.
    func send(_ purpose: Purpose, _ body: (OpaquePointer) -> Bool) -> Bool {
        guard body(handle), PQpipelineSync(handle) == 1 else { return false }
        groups.append(Group(purpose: purpose))
        if case .request = purpose { requestGroups += 1 }
        return true
    }

    /// Sends trusted SQL of our own (never caller text) as one group.
    func sendControl(_ sql: [String], purpose: Purpose) -> Bool {
        send(purpose) { handle in
            sql.allSatisfy { PQsendQueryParams(handle, $0, 0, nil, nil, nil, nil, 0) == 1 }
        }
    }

    /// Queues an execution of the prepared statement `name` with the query's parameters (binary results).
    static func queueExecution(_ handle: OpaquePointer, name: String, _ query: PostgresQuery) -> Bool {
        query.bindings.withParameterArrays { count, values, lengths, formats in
            PQsendQueryPrepared(handle, name, count, values, lengths, formats, 1) == 1
        }
    }

    /// The prepared statements' names for `queries`, sending a prepare group first for each one the connection
    /// has not prepared yet; nil if the connection failed. `outcomes` collects the prepares sent, for the group
    /// that uses them.
    ///
    /// When the new statements would overflow the cache, it is emptied first with a `DEALLOCATE ALL` (after the
    /// groups already sent, so none of them loses its statement, and before any statement of this batch is
    /// named). Inside a transaction it is not (a failure would abort the holder's transaction): the cache grows
    /// past its bound until then.
    func preparedNames(for queries: [PostgresQuery], outcomes: inout [PrepareOutcome]) -> [String]? {
        let keys = queries.map { StatementCache.Key(sql: $0.sql, types: $0.bindings.types) }
        if statements.count + queries.count > statements.capacity {
            let missing = Set(keys.filter { statements.name(for: $0) == nil }).count
            let outsideTransaction = lease == nil || (groups.isEmpty && transactionStatus == PQTRANS_IDLE)
            if missing > 0, statements.count + missing > statements.capacity, outsideTransaction {
                guard sendControl(["DEALLOCATE ALL"], purpose: .housekeeping) else { return nil }
                statements.removeAll()
                pendingPrepares.removeAll()
            }
        }
        var names: [String] = []
        names.reserveCapacity(queries.count)
        for (query, key) in zip(queries, keys) {
            if let name = statements.name(for: key) {
                // Prepared in a group still in flight: if that prepare fails, this statement fails the same way.
                if let pending = pendingPrepares[key] { outcomes.append(pending) }
                names.append(name)
                continue
            }
            let name = statements.nextName()
            let outcome = PrepareOutcome()
            let types = query.bindings.types.map(\.rawValue)
            let sent = send(.prepare(key, name: name, outcome)) { handle in
                PQsendPrepare(handle, name, query.sql, Int32(types.count), types.isEmpty ? nil : types) == 1
            }
            guard sent else { return nil }
            statements.insert(key, name: name)
            pendingPrepares[key] = outcome
            outcomes.append(outcome)
            names.append(name)
        }
        return names
    }

    /// Sets our `statement_timeout` for the statements sent next: the time left until `deadline` (an earlier
    /// setting stands if it fits, see `StatementTimeout.fits`), or the server's default without a deadline.
    /// Throws `57014` when the deadline has passed, `08006` when the connection failed.
    func applyTimeout(_ deadline: ContinuousClock.Instant?, now: ContinuousClock.Instant) throws(PostgresError) {
        if let deadline {
            guard let left = StatementTimeout.milliseconds(from: now, until: deadline) else {
                throw PostgresError(code: .queryCanceled, message: "the deadline passed before the statement was sent")
            }
            if case .milliseconds(let current) = timeout, StatementTimeout.timeout(current, fits: left) { return }
            guard sendControl(["SET statement_timeout = \(left)"], purpose: .housekeeping) else { throw Self.lost }
            timeout = settlesAtSessionLevel ? .milliseconds(left) : .unknown
        } else if timeout != .serverDefault {
            guard sendControl(["RESET statement_timeout"], purpose: .housekeeping) else { throw Self.lost }
            timeout = settlesAtSessionLevel ? .serverDefault : .unknown
        }
    }

    /// Whether a `SET` sent now outlives the statements after it: always on a shared connection (its groups are
    /// implicit transactions of their own), but on a leased one only outside a transaction the holder began
    /// (a rollback would undo it; then the next statement sets the timeout again).
    private var settlesAtSessionLevel: Bool {
        lease == nil || (groups.isEmpty && transactionStatus == PQTRANS_IDLE)
    }

    static let lost = PostgresError(code: .connectionFailure, message: "the connection to the server was lost")

    /// Pushes queued output to the socket; false if the connection failed. When the socket is full, epoll
    /// watches it for writability (`writable()` continues).
    func flush(_ epoll: Epoll) -> Bool {
        let state = PQflush(handle)
        guard state >= 0 else { return false }
        let wants = state == 1
        if wants != wantsWrite {
            wantsWrite = wants
            return epoll.modify(socket, token: id, writable: wants)
        }
        return true
    }

    /// `TCP_CORK` is set on the socket: the kernel holds back partial segments until `uncork()`.
    private var corked = false
    /// The socket refused `TCP_CORK` (a Unix-domain socket): never try again.
    private var corkUnsupported = false

    /// Holds back what the next sends write until `uncork()`, so that several groups leave in one segment
    /// (on loopback each segment costs the sender the receiver's whole TCP path too).
    func cork() {
        guard !corked, !corkUnsupported else { return }
        var on: Int32 = 1
        if setsockopt(socket, Int32(IPPROTO_TCP), TCP_CORK, &on, socklen_t(MemoryLayout<Int32>.size)) == 0 {
            corked = true
        } else {
            corkUnsupported = true
        }
    }

    /// Sends what `cork()` held back; false if the socket failed.
    func uncork() -> Bool {
        guard corked else { return true }
        corked = false
        var off: Int32 = 0
        return setsockopt(socket, Int32(IPPROTO_TCP), TCP_CORK, &off, socklen_t(MemoryLayout<Int32>.size)) == 0
    }

    // MARK: Receiving

    /// Reads what the socket has (`consume`) and collects every group answered; false when the connection
    /// failed or its results no longer line up with the groups sent (the caller closes it).
    func receive(consume: Bool, into answered: inout [Group]) -> Bool {
        if consume {
            guard PQconsumeInput(handle) != 0 else { return false }
            // Bytes OpenSSL decrypted but libpq has not taken yet never make the socket readable again: take them.
            while PQsslInUse(handle) != 0, let ssl = PQsslStruct(handle, "OpenSSL"), SSL_pending(OpaquePointer(ssl)) > 0 {
                guard PQconsumeInput(handle) != 0 else { return false }
            }
        }
        while let notification = PQnotifies(handle) { PQfreemem(notification) }
        while !groups.isEmpty {
            if PQisBusy(handle) != 0 { break }
            guard let result = PQgetResult(handle) else {
                // The NULL that ends each statement's results; any other means we lost step with the server.
                guard awaitingEnd else { return false }
                awaitingEnd = false
                continue
            }
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            if status == PGRES_PIPELINE_SYNC {
                guard !awaitingEnd, let group = groups.popFirst() else { return false }
                if case .request = group.purpose { requestGroups -= 1 }
                answered.append(group)
                continue
            }
            guard !awaitingEnd else { return false }
            awaitingEnd = true
            let outcome = Result { () throws(PostgresError) -> PostgresRows in try ResultReader.read(result, connection: handle) }
            groups.mutateFirst { $0.results.append(outcome) }
            if !isConnected { return false }
        }
        return isConnected
    }

    /// Every group in flight, removed (the connection is being closed).
    func takeAllGroups() -> [Group] {
        var taken: [Group] = []
        while let group = groups.popFirst() { taken.append(group) }
        requestGroups = 0
        return taken
    }

    /// Whether the request's group is the only caller's group in flight (only our own housekeeping may run
    /// before it).
    func isAlone(_ request: PoolRequest) -> Bool {
        requestGroups == 1 && carries(request)
    }

    /// Whether the request's group is the one the server runs now (the first in flight).
    func isRunning(_ request: PoolRequest) -> Bool {
        guard let group = groups.first, case .request(let other, _, _) = group.purpose else { return false }
        return other === request
    }

    /// Whether the request has a group in flight here.
    func carries(_ request: PoolRequest) -> Bool {
        groups.contains { group in
            if case .request(let other, _, _) = group.purpose { return other === request }
            return false
        }
    }
}

/// `statement_timeout` arithmetic shared by the pool's statements and transactions.
enum StatementTimeout {
    /// Whether a `statement_timeout` of `current` ms already in force can stand for one of `left` ms, which saves
    /// a `SET` per statement (most calls carry similar deadlines). It may end the statement up to 1/64 of its time
    /// early (10 s: 156 ms) or a quarter late: the timeout is the server-side backstop, while the deadline itself
    /// is enforced by the caller (the RPC's task is cancelled, which cancels the statement).
    static func timeout(_ current: Int64, fits left: Int64) -> Bool {
        current >= left - left / 64 && current <= left + left / 4
    }

    /// Whole milliseconds from `now` until `deadline` (rounded up, at least 1), or nil if it has passed.
    static func milliseconds(from now: ContinuousClock.Instant, until deadline: ContinuousClock.Instant) -> Int64? {
        let left = now.duration(to: deadline)
        guard left > .zero else { return nil }
        let (seconds, attoseconds) = left.components
        return max(1, seconds * 1_000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}

/// A first-in first-out queue: an array and the index of its head (amortised O(1) at both ends).
struct FIFO<Element> {
    private var storage: [Element] = []
    private var head = 0

    var isEmpty: Bool { head == storage.count }
    var first: Element? { isEmpty ? nil : storage[head] }

    mutating func append(_ element: Element) { storage.append(element) }

    mutating func popFirst() -> Element? {
        guard !isEmpty else { return nil }
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: storage.capacity <= 1024)
            head = 0
        } else if head >= 64, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    mutating func mutateFirst(_ body: (inout Element) -> Void) {
        guard !isEmpty else { return }
        body(&storage[head])
    }

    func contains(where predicate: (Element) -> Bool) -> Bool {
        storage[head...].contains(where: predicate)
    }

    /// Keeps only the elements for which `keep` is true, in order.
    mutating func removeAll(where remove: (Element) -> Bool) {
        storage = storage[head...].filter { !remove($0) }
        head = 0
    }

    var elements: ArraySlice<Element> { storage[head...] }
}
