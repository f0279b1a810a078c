import AudoticsRedis
import NIOCore

/// The requests of one Redis connection, as a value: commands go out in order and replies come back in the same
/// order, so the oldest request takes the next reply (RESP has no request IDs). No I/O; the handler acts.
///
/// A request is one command or a pipeline of several, answered together once all its replies are in. Each has a
/// deadline; one timer, armed at the earliest deadline, serves them all. When a request's deadline passes the
/// connection is finished: its reply may still come, and every later reply would be matched to the wrong command.
/// A cancelled request stays in the queue, without its waiter, to absorb its replies.
struct RedisConnectionStateMachine<Waiter> {
    private struct Request {
        let id: UInt64
        var remaining: Int
        var replies: [RedisReply]
        var waiter: Waiter?
        let deadline: NIODeadline
    }

    private var requests = CircularBuffer<Request>()
    /// Commands sent and not yet answered, over all requests.
    private(set) var pendingCommands = 0
    private let maximumPendingCommands: Int
    /// Why the connection is finished, once it is.
    private(set) var closedError: RedisError?
    /// The deadline the handler's timer is armed for, if any.
    private var armedDeadline: NIODeadline?

    init(maximumPendingCommands: Int) {
        self.maximumPendingCommands = maximumPendingCommands
    }

    enum EnqueueAction {
        /// Write the request's commands; arm the timer for the deadline when one is given.
        case write(armTimer: NIODeadline?)
        /// Refused: fail the waiter with the error (nothing was sent).
        case fail(RedisError)
    }

    /// A request of `commandCount` commands (one or more) is about to be sent.
    mutating func enqueue(id: UInt64, commandCount: Int, waiter: Waiter, deadline: NIODeadline) -> EnqueueAction {
        if let closedError { return .fail(closedError) }
        guard pendingCommands + commandCount <= maximumPendingCommands else {
            return .fail(RedisError(
                code: .limitExceeded,
                message: "\(pendingCommands) commands already await replies on this connection; "
                    + "\(commandCount) more would pass the pipeline depth limit of \(maximumPendingCommands)"))
        }
        requests.append(Request(id: id, remaining: commandCount, replies: [], waiter: waiter, deadline: deadline))
        pendingCommands += commandCount
        if let armedDeadline, armedDeadline <= deadline { return .write(armTimer: nil) }
        armedDeadline = deadline
        return .write(armTimer: deadline)
    }

    enum ReplyAction {
        /// The reply is part of a request that is not complete yet, or of a cancelled one.
        case none
        /// The request is complete: resume its waiter with its replies, in command order.
        case complete(Waiter, [RedisReply])
        /// A reply nobody asked for: the stream is out of step; close with the error (the handler fails the rest).
        case protocolViolation(RedisError)
    }

    /// The next reply arrived.
    mutating func replyReceived(_ reply: RedisReply) -> ReplyAction {
        guard closedError == nil else { return .none }
        guard !requests.isEmpty else {
            return .protocolViolation(RedisError(code: .protocolError, message: "a reply arrived with no command awaiting one"))
        }
        pendingCommands -= 1
        requests[requests.startIndex].remaining -= 1
        if requests[requests.startIndex].waiter != nil {
            requests[requests.startIndex].replies.append(reply)
        }
        guard requests[requests.startIndex].remaining == 0 else { return .none }
        let request = requests.removeFirst()
        guard let waiter = request.waiter else { return .none }
        return .complete(waiter, request.replies)
    }

    enum TimerAction {
        /// Nothing is pending: leave the timer disarmed.
        case none
        /// Nothing has expired yet: arm the timer again for this deadline.
        case rearm(NIODeadline)
        /// A request expired: close the connection; fail these waiters with the error.
        case timedOut([Waiter], RedisError)
    }

    /// The timer fired at `now`.
    mutating func timerFired(now: NIODeadline) -> TimerAction {
        armedDeadline = nil
        guard closedError == nil, let earliest = requests.map(\.deadline).min() else { return .none }
        guard earliest <= now else {
            armedDeadline = earliest
            return .rearm(earliest)
        }
        let error = RedisError(
            code: .timedOut,
            message: "a command got no reply before its timeout; the connection was closed (\(pendingCommands) commands awaited replies)")
        return .timedOut(close(error), error)
    }

    /// The caller of request `id` gave up (its task was cancelled): returns its waiter to fail, if still waiting.
    /// The request keeps its place so that its replies, when they come, are skipped.
    mutating func cancel(id: UInt64) -> Waiter? {
        guard let index = requests.firstIndex(where: { $0.id == id }) else { return nil }
        defer {
            requests[index].waiter = nil
            requests[index].replies = []
        }
        return requests[index].waiter
    }

    /// The connection is finished (closed, failed, or timed out): returns every waiter still waiting, to be failed
    /// with `error`. Later requests fail with the first error.
    mutating func close(_ error: RedisError) -> [Waiter] {
        if closedError == nil { closedError = error }
        let waiters = requests.compactMap(\.waiter)
        requests.removeAll()
        pendingCommands = 0
        armedDeadline = nil
        return waiters
    }
}
