import AudoticsRedis

/// The connection slots of a `RedisClient`, as a value: which are connected, connecting, or waiting out a backoff
/// after failed connects. No I/O; the client connects and closes.
///
/// Connections are opened lazily, one at a time: the first command opens one, and another only while every open one
/// is busy, up to the number of slots. A command goes to the least loaded open connection. A slot whose connect failed waits
/// out its backoff before the next attempt; while every slot is backing off, commands fail at once.
struct RedisPoolStateMachine<Connection, Pending> {
    private enum Slot {
        case idle(failures: Int)
        case backingOff(until: ContinuousClock.Instant, failures: Int)
        case connecting(attempt: UInt64, Pending, failures: Int)
        case ready(attempt: UInt64, Connection)
    }

    private var slots: [Slot]
    private var isShutDown = false
    private var nextAttempt: UInt64 = 1

    init(slotCount: Int) {
        slots = Array(repeating: .idle(failures: 0), count: slotCount)
    }

    enum Pick {
        /// Send on this connection.
        case use(Connection)
        /// Connect slot `slot` as `attempt`, completing `pending` with the outcome, then report it with `connected` or
        /// `connectFailed`. Meanwhile send on `meanwhile` if there is one, else wait for `pending`.
        case connect(slot: Int, attempt: UInt64, pending: Pending, meanwhile: Connection?)
        /// Wait for a connect in progress.
        case wait(Pending)
        /// Fail the command at once.
        case unavailable(RedisError)
    }

    /// Chooses where a command goes. `load` tells how many commands await replies on a connection, or nil if it is
    /// no longer usable (closed: its slot is freed). `makePending` is called only when a connect starts.
    mutating func pick(now: ContinuousClock.Instant, load: (Connection) -> Int?, makePending: () -> Pending) -> Pick {
        guard !isShutDown else { return .unavailable(RedisError(code: .unavailable, message: "the Redis client is shut down")) }
        var best: (connection: Connection, load: Int)?
        var startable: (slot: Int, failures: Int)?
        var connecting: Pending?
        var soonestRetry: ContinuousClock.Instant?
        for index in slots.indices {
            switch slots[index] {
            case .ready(_, let connection):
                guard let current = load(connection) else {
                    slots[index] = .idle(failures: 0)
                    if startable == nil { startable = (index, 0) }
                    continue
                }
                if best == nil || current < best!.load { best = (connection, current) }
            case .idle(let failures):
                if startable == nil { startable = (index, failures) }
            case .backingOff(let until, let failures):
                if until <= now {
                    if startable == nil { startable = (index, failures) }
                } else if soonestRetry == nil || until < soonestRetry! {
                    soonestRetry = until
                }
            case .connecting(_, let pending, _):
                if connecting == nil { connecting = pending }
            }
        }
        if let best, best.load == 0 { return .use(best.connection) }
        // One connect at a time: a burst of commands, or a Redis that is down, does not open every slot at once.
        if let connecting { return best.map { .use($0.connection) } ?? .wait(connecting) }
        if let startable {
            let attempt = nextAttempt
            nextAttempt += 1
            let pending = makePending()
            slots[startable.slot] = .connecting(attempt: attempt, pending, failures: startable.failures)
            return .connect(slot: startable.slot, attempt: attempt, pending: pending, meanwhile: best?.connection)
        }
        if let best { return .use(best.connection) }
        let wait = soonestRetry.map { now.duration(to: $0) } ?? .zero
        return .unavailable(RedisError(
            code: .unavailable,
            message: "Redis is unreachable; the next connect attempt is in \(wait.roundedUpMilliseconds) ms"))
    }

    /// A connect succeeded. Returns false if the connection is not wanted (the client shut down): close it.
    mutating func connected(slot: Int, attempt: UInt64, connection: Connection) -> Bool {
        guard !isShutDown, case .connecting(attempt, _, _) = slots[slot] else { return false }
        slots[slot] = .ready(attempt: attempt, connection)
        return true
    }

    /// A connect failed: the slot backs off for `backoff(failures)`, failures counted since the last success.
    mutating func connectFailed(slot: Int, attempt: UInt64, now: ContinuousClock.Instant, backoff: (Int) -> Duration) {
        guard case .connecting(attempt, _, let failures) = slots[slot] else { return }
        slots[slot] = .backingOff(until: now + backoff(failures + 1), failures: failures + 1)
    }

    /// The connection of `attempt` closed: the slot is free for the next command to reconnect.
    mutating func lost(slot: Int, attempt: UInt64) {
        guard case .ready(attempt, _) = slots[slot] else { return }
        slots[slot] = .idle(failures: 0)
    }

    /// No more commands: returns the open connections, to close.
    mutating func shutDown() -> [Connection] {
        isShutDown = true
        defer { slots = slots.map { _ in .idle(failures: 0) } }
        return slots.compactMap { slot in
            if case .ready(_, let connection) = slot { return connection }
            return nil
        }
    }

    /// How many slots hold an open connection.
    var readyCount: Int {
        slots.count { if case .ready = $0 { true } else { false } }
    }
}
