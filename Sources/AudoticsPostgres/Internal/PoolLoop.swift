import Foundation
import Synchronization

/// What callers and helper threads hand the pool's loop.
enum PoolCommand: Sendable {
    case request(PoolRequest)
    /// The caller of a submitted request was cancelled.
    case cancel(PoolRequest)
    /// A lease ended.
    case release(LeaseToken)
    /// A connection attempt ended.
    case connected(ConnectOutcome)
    /// The cancel request for a statement on this connection has been sent (or failed).
    case cancelSent(connection: UInt64)
    /// Stop leasing; resume when every connection is closed.
    case shutdown(UnsafeContinuation<Void, Never>?)
}

/// A connection opened by a connector thread, handed to the loop thread.
///
/// `@unchecked Sendable`: the connection passes from the thread that opened it to the loop thread exactly
/// once, and the connector thread keeps no reference to it, so it is never used from two threads at once.
struct ConnectOutcome: @unchecked Sendable {
    var result: Result<PostgresConnection, PostgresError>
}

/// The pool's loop: one thread that owns every connection of a pool and drives them with libpq's non-blocking
/// API, watching their sockets with epoll (see `PostgresPool` for why).
///
/// Callers reach it only through `submit`: a command goes into the inbox under a lock, and the loop thread is
/// woken through an eventfd only when it sleeps; under load it is awake, and submitting costs no system call.
final class PoolLoop: Sendable {
    private struct Inbox {
        var commands: [PoolCommand] = []
        /// The loop thread is about to wait, or waits, in epoll: a new command must wake it.
        var sleeping = false
        /// The loop thread has ended: commands are refused.
        var stopped = false
    }

    private let inbox = Mutex(Inbox())
    let epoll: Epoll
    let statistics = Mutex(PostgresPool.Statistics(connections: 0, leased: 0, waiting: 0, connectionsOpened: 0, connectionsClosed: 0))
    private let exited = Mutex<(done: Bool, waiters: [UnsafeContinuation<Void, Never>])>((false, []))

    /// Starts the loop thread; nil if the system refuses an epoll or eventfd descriptor.
    init?(configuration: PostgresPool.Configuration, counters: PoolCounters) {
        guard let epoll = try? Epoll() else { return nil }
        self.epoll = epoll
        Thread.detachNewThread { [self] in
            Thread.current.name = "postgres-pool"
            let core = PoolCore(configuration: configuration, loop: self, counters: counters)
            core.run()
            markExited()
        }
    }

    /// Hands `command` to the loop; false if the loop has ended (the caller answers the request itself).
    @discardableResult
    func submit(_ command: PoolCommand) -> Bool {
        let (accepted, wake) = inbox.withLock { inbox -> (Bool, Bool) in
            guard !inbox.stopped else { return (false, false) }
            inbox.commands.append(command)
            let wake = inbox.sleeping
            inbox.sleeping = false
            return (true, wake)
        }
        if wake { Epoll.wake(epoll.wakeDescriptor) }
        return accepted
    }

    /// The commands submitted since the last call (loop thread).
    func takeCommands(into buffer: inout [PoolCommand]) {
        inbox.withLock { inbox in swap(&inbox.commands, &buffer) }
    }

    /// Marks the loop as about to wait; false if commands arrived meanwhile (then it must not wait).
    func prepareToSleep() -> Bool {
        inbox.withLock { inbox in
            guard inbox.commands.isEmpty else { return false }
            inbox.sleeping = true
            return true
        }
    }

    /// Marks the loop awake again after a wait.
    func awake() {
        inbox.withLock { $0.sleeping = false }
    }

    /// Refuses further commands and returns those still queued (loop thread, as it ends).
    func close() -> [PoolCommand] {
        inbox.withLock { inbox in
            inbox.stopped = true
            defer { inbox.commands = [] }
            return inbox.commands
        }
    }

    private func markExited() {
        let waiters = exited.withLock { state in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends until the loop thread has ended.
    func waitForExit() async {
        await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
            let done = exited.withLock { state in
                if !state.done { state.waiters.append(continuation) }
                return state.done
            }
            if done { continuation.resume() }
        }
    }
}
