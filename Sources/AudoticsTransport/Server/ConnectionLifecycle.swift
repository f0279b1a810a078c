/// When a server connection goes away and how: idle and age limits, graceful shutdown with the
/// two-step GOAWAY, and ping-abuse protection. A value-type state machine: the connection handler
/// feeds it events and carries out the actions it returns.
struct ConnectionLifecycle {
    /// Something the handler must do.
    enum Action: Hashable {
        /// Send GOAWAY with the largest stream ID and a PING: the client stops opening streams.
        case sendShutdownNotice
        /// Send the final GOAWAY naming the last stream processed, with an HTTP/2 error code.
        case sendGoAway(errorCode: UInt32)
        /// Close the connection now.
        case close
    }

    private enum State: Hashable {
        case active
        /// Shutting down: the notice went out; `finalGoAwaySent` once the client acknowledged it.
        case draining(finalGoAwaySent: Bool)
        case closed
    }

    /// HTTP/2 ENHANCE_YOUR_CALM, for peers that ping too often.
    static let enhanceYourCalm: UInt32 = 0xB

    private var state = State.active
    private(set) var activeStreams = 0
    private var pingStrikes = 0
    private var lastPing: ContinuousClock.Instant?
    let policy: GRPCServerConfiguration.ConnectionPolicy

    init(policy: GRPCServerConfiguration.ConnectionPolicy) {
        self.policy = policy
    }

    /// Whether new streams are still welcome.
    var isAcceptingStreams: Bool { state == .active }

    mutating func streamOpened() {
        activeStreams += 1
        pingStrikes = 0
    }

    mutating func streamClosed() -> [Action] {
        activeStreams = max(0, activeStreams - 1)
        if case .draining(true) = state, activeStreams == 0 {
            state = .closed
            return [.close]
        }
        return []
    }

    /// No stream for `maxIdle`: go away gracefully.
    mutating func idleTimeout() -> [Action] {
        guard state == .active, activeStreams == 0 else { return [] }
        return beginShutdown()
    }

    /// The connection reached `maxAge`: go away gracefully (in-flight streams get the grace period).
    mutating func maxAgeReached() -> [Action] {
        beginShutdown()
    }

    /// The server is stopping.
    mutating func shutdownRequested() -> [Action] {
        beginShutdown()
    }

    /// The client acknowledged our PING: after a shutdown notice, the final GOAWAY can go.
    mutating func pingAcknowledged() -> [Action] {
        guard case .draining(false) = state else { return [] }
        state = .draining(finalGoAwaySent: true)
        if activeStreams == 0 {
            state = .closed
            return [.sendGoAway(errorCode: 0), .close]
        }
        return [.sendGoAway(errorCode: 0)]
    }

    /// The grace period after the shutdown began is over: close whatever still runs.
    mutating func graceExpired() -> [Action] {
        guard state != .closed else { return [] }
        let sendGoAway = state == .draining(finalGoAwaySent: false)
        state = .closed
        return sendGoAway ? [.sendGoAway(errorCode: 0), .close] : [.close]
    }

    /// The client sent a PING. Without active streams, pings more frequent than `minPingInterval`
    /// are strikes; past `maxPingStrikes` the connection ends with ENHANCE_YOUR_CALM.
    mutating func pingReceived(at now: ContinuousClock.Instant) -> [Action] {
        defer { lastPing = now }
        guard activeStreams == 0, let last = lastPing, now - last < policy.minPingIntervalWithoutCalls else { return [] }
        pingStrikes += 1
        guard pingStrikes > policy.maxPingStrikes, state != .closed else { return [] }
        state = .closed
        return [.sendGoAway(errorCode: Self.enhanceYourCalm), .close]
    }

    private mutating func beginShutdown() -> [Action] {
        guard state == .active else { return [] }
        state = .draining(finalGoAwaySent: false)
        return [.sendShutdownNotice]
    }
}
