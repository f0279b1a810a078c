import Synchronization

/// What a caller asks of the pool's loop.
enum PoolWork: Sendable {
    /// One statement, prepared on first use (a shared connection, or the caller's leased one).
    case statement(PostgresQuery)
    /// Statements sent together with one sync: one implicit transaction outside an explicit one.
    case pipeline([PostgresQuery])
    /// A connection of one's own until it is released.
    case lease
    /// `BEGIN`, with `SET LOCAL statement_timeout` from the deadline (leased connections).
    case begin(PostgresIsolationLevel)
    /// `COMMIT`, or `ROLLBACK` and `25P02` for a transaction that already failed.
    case commit
    case rollback
    /// The number of statements the leased connection has prepared.
    case preparedStatementCount
}

/// What the loop answers.
enum PoolReply: Sendable {
    case rows(PostgresRows)
    case batch([PostgresRows])
    case lease(LeaseToken)
    case count(Int)
    case done
}

/// A lease: the connection it holds, and its number (a released lease's token no longer works).
struct LeaseToken: Sendable, Hashable {
    var connection: UInt64
    var lease: UInt64
}

/// One call into the pool, and its caller waiting for the answer: resumed exactly once, by the loop with the
/// result, or by a failure decided on the caller's side (cancelled before it was submitted, pool stopped).
final class PoolRequest: Sendable {
    typealias Outcome = Result<PoolReply, PostgresError>

    let work: PoolWork
    let deadline: ContinuousClock.Instant?
    /// For work on a leased connection: the lease.
    let lease: LeaseToken?
    /// Whether the work runs inside the lease holder's transaction (no per-statement timeout).
    let inTransaction: Bool
    /// When the request gives up waiting for a connection (the earlier of its deadline and `acquireTimeout`).
    let waitUntil: ContinuousClock.Instant

    /// Where the loop keeps the request. Read and written only by the pool loop's thread, so it needs no lock;
    /// `nonisolated(unsafe)` because the class is shared with the caller, who never touches it.
    nonisolated(unsafe) var place: Place = .new

    enum Place {
        case new
        /// In one of the loop's waiting queues.
        case waiting
        /// Work of a lease holder kept back until a cancel request on its connection has gone out.
        case held
        /// Sent on this connection.
        case sent(UInt64)
        /// Answered, or dropped from a queue.
        case done
    }

    private struct State {
        var continuation: UnsafeContinuation<Outcome, Never>?
        var cancelled = false
        var finished = false
    }

    private let state = Mutex(State())

    init(work: PoolWork, deadline: ContinuousClock.Instant?, lease: LeaseToken?, inTransaction: Bool, waitUntil: ContinuousClock.Instant) {
        self.work = work
        self.deadline = deadline
        self.lease = lease
        self.inTransaction = inTransaction
        self.waitUntil = waitUntil
    }

    static let cancelledError = PostgresError(code: .queryCanceled, message: "the task was cancelled; the statement's result is dropped")
    static let cancelledWaitingError = PostgresError(code: .queryCanceled, message: "cancelled while waiting for a pooled connection")

    /// Stores the caller's continuation; false (and the caller resumed with `57014`) if it was cancelled already.
    func attach(_ continuation: UnsafeContinuation<Outcome, Never>) -> Bool {
        let cancelled = state.withLock { state in
            if state.cancelled {
                state.finished = true
            } else {
                state.continuation = continuation
            }
            return state.cancelled
        }
        if cancelled { continuation.resume(returning: .failure(Self.cancelledWaitingError)) }
        return !cancelled
    }

    /// Resumes the caller with `outcome`; false if it was resumed already.
    @discardableResult
    func complete(_ outcome: Outcome) -> Bool {
        let continuation: UnsafeContinuation<Outcome, Never>? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            defer { state.continuation = nil }
            return state.continuation
        }
        guard let continuation else { return false }
        continuation.resume(returning: outcome)
        return true
    }

    /// The caller's task was cancelled: true when the loop must decide what that means (the request was
    /// submitted and is not answered yet).
    func markCancelled() -> Bool {
        state.withLock { state in
            state.cancelled = true
            return state.continuation != nil && !state.finished
        }
    }
}
