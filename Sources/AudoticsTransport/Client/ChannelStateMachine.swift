import AudoticsRPC

/// The connection state of a channel's endpoints and the calls waiting for a connection.
///
/// A value with no I/O and no locks: `GRPCChannel` keeps it in a mutex and carries out what its methods return
/// (connect to an endpoint, resume waiters, schedule a reconnection, close a connection). Endpoints connect
/// lazily, on the first call that needs them; calls are spread round robin over the ready ones. A call that finds
/// no ready connection waits while an endpoint is connecting, and otherwise fails fast with UNAVAILABLE unless it
/// asked to wait for readiness. Waiters are woken on every change and pick again.
///
/// With health checking, a ready connection also needs its server to report the service SERVING before calls
/// use it: until the first report the endpoint counts as still connecting, and while it reports anything else
/// calls go to the other endpoints (or fail with UNAVAILABLE when none serves).
struct ChannelStateMachine<Connection: Identifiable & Sendable, Waiter> {
    /// Where one endpoint stands.
    enum EndpointState {
        /// Not connected; the next call connects.
        case idle
        /// A connection attempt is running.
        case connecting
        /// Connected; calls open streams on this connection.
        case ready(Connection)
        /// The last attempt failed; waiting out the backoff delay before the next.
        case backingOff(RPCError)
    }

    typealias Outcome = ChannelPickOutcome<Connection>

    private(set) var states: [EndpointState]
    /// Consecutive failed connection attempts per endpoint (reset by a successful one).
    private(set) var failures: [Int]
    /// Whether each endpoint's ready connection serves, as health checking reports it: `nil` until the first
    /// report (without health checking, `true` as soon as it connects).
    private(set) var serving: [Bool?]
    private var nextIndex = 0
    private var waiters: [UInt64: Waiter] = [:]
    /// Calls given up (cancelled, deadline passed) before they registered as waiters.
    private var abandoned: [UInt64: RPCError] = [:]
    /// Whether `close()` was called: every later call fails.
    private(set) var isClosed = false

    /// Creates the state of `endpointCount` idle endpoints.
    init(endpointCount: Int) {
        states = Array(repeating: .idle, count: endpointCount)
        failures = Array(repeating: 0, count: endpointCount)
        serving = Array(repeating: nil, count: endpointCount)
    }

    static var closedError: RPCError { RPCError(code: .unavailable, message: "the channel is closed") }

    /// A ready connection that serves, round robin, without waiting (nil: the caller takes `pick`'s slow path);
    /// `connect` lists the endpoints to start connecting to (every idle one: connections are made lazily).
    mutating func pickReady() -> (connection: Connection?, connect: [Int]) {
        if isClosed { return (nil, []) }
        var connect: [Int] = []
        for index in states.indices {
            if case .idle = states[index] {
                states[index] = .connecting
                connect.append(index)
            }
        }
        for offset in states.indices {
            let index = (nextIndex + offset) % states.count
            if case .ready(let connection) = states[index], serving[index] == true {
                nextIndex = (index + 1) % states.count
                return (connection, connect)
            }
        }
        return (nil, connect)
    }

    /// Chooses a connection for call `waiterID`. Returns the outcome, or `nil` when the call now waits as `waiter`;
    /// `connect` lists the endpoints to start connecting to (as in `pickReady`).
    mutating func pick(waitForReady: Bool, waiterID: UInt64, waiter: Waiter) -> (outcome: Outcome?, connect: [Int]) {
        if isClosed { return (.fail(Self.closedError), []) }
        if let error = abandoned.removeValue(forKey: waiterID) { return (.fail(error), []) }
        let (ready, connect) = pickReady()
        if let ready { return (.use(ready), connect) }
        let connecting = states.indices.contains { index in
            switch states[index] {
            case .connecting: true
            case .ready: serving[index] == nil
            default: false
            }
        }
        if connecting || waitForReady {
            waiters[waiterID] = waiter
            return (nil, connect)
        }
        return (.fail(lastError), connect)
    }

    /// Gives up on call `waiterID` with `error`: returns its continuation if it is waiting (resume it with the
    /// error); otherwise remembers the error for its next `pick`.
    mutating func abandon(waiterID: UInt64, error: RPCError) -> Waiter? {
        if let waiter = waiters.removeValue(forKey: waiterID) { return waiter }
        abandoned[waiterID] = error
        return nil
    }

    /// Forgets call `waiterID` once it no longer picks.
    mutating func forget(waiterID: UInt64) {
        abandoned.removeValue(forKey: waiterID)
        waiters.removeValue(forKey: waiterID)
    }

    /// A connection attempt succeeded. Returns the waiters to wake, and whether the connection must be closed
    /// instead (the channel closed meanwhile). With `healthChecked`, calls wait for its first health report.
    mutating func connected(_ index: Int, _ connection: Connection, healthChecked: Bool = false) -> (wake: [Waiter], close: Bool) {
        guard !isClosed, case .connecting = states[index] else { return ([], true) }
        states[index] = .ready(connection)
        serving[index] = healthChecked ? nil : true
        failures[index] = 0
        return (takeWaiters(), false)
    }

    /// Health checking reported whether connection `id` of endpoint `index` serves. Returns the waiters to wake.
    mutating func healthChanged(_ index: Int, id: Connection.ID, serving isServing: Bool) -> [Waiter] {
        guard !isClosed, case .ready(let current) = states[index], current.id == id, serving[index] != isServing else { return [] }
        serving[index] = isServing
        return takeWaiters()
    }

    /// A connection attempt failed. Returns the waiters to wake and the number of consecutive failures, from which
    /// the caller computes the backoff delay (`nil`: no reconnection, the channel is closed).
    mutating func connectFailed(_ index: Int, error: RPCError) -> (wake: [Waiter], failures: Int?) {
        guard !isClosed, case .connecting = states[index] else { return ([], nil) }
        states[index] = .backingOff(error)
        failures[index] += 1
        return (takeWaiters(), failures[index])
    }

    /// The backoff delay of an endpoint passed. Returns whether to connect now (calls are waiting); otherwise
    /// the endpoint goes idle and the next call connects.
    mutating func backoffElapsed(_ index: Int) -> Bool {
        guard !isClosed, case .backingOff = states[index] else { return false }
        if waiters.isEmpty {
            states[index] = .idle
            return false
        }
        states[index] = .connecting
        return true
    }

    /// A ready connection closed or is going away (GOAWAY): new calls need a new one. Returns whether to connect
    /// now (calls are waiting).
    mutating func connectionLost(_ index: Int, id: Connection.ID) -> Bool {
        guard !isClosed, case .ready(let current) = states[index], current.id == id else { return false }
        serving[index] = nil
        if waiters.isEmpty {
            states[index] = .idle
            return false
        }
        states[index] = .connecting
        return true
    }

    /// Closes the channel: returns the waiters to wake (they fail on their next pick) and the ready connections
    /// to shut down.
    mutating func close() -> (wake: [Waiter], connections: [Connection]) {
        guard !isClosed else { return ([], []) }
        isClosed = true
        var connections: [Connection] = []
        for index in states.indices {
            if case .ready(let connection) = states[index] { connections.append(connection) }
            states[index] = .idle
        }
        abandoned.removeAll()
        return (takeWaiters(), connections)
    }

    private mutating func takeWaiters() -> [Waiter] {
        defer { waiters.removeAll() }
        return Array(waiters.values)
    }

    /// The error a fail-fast call gets when no endpoint is ready or connecting.
    private var lastError: RPCError {
        for state in states {
            if case .backingOff(let error) = state { return error }
        }
        if serving.contains(false) {
            return RPCError(code: .unavailable, message: "no endpoint is serving: health checking reports NOT_SERVING")
        }
        return RPCError(code: .unavailable, message: "no connection is available")
    }
}

/// What a call is told when it picks a connection or wakes up.
enum ChannelPickOutcome<Connection: Sendable>: Sendable {
    /// Open the call's stream on this connection.
    case use(Connection)
    /// Fail the call with this error.
    case fail(RPCError)
    /// Something changed: pick again.
    case retry
}
