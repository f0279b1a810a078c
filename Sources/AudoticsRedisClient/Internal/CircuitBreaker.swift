/// The circuit breaker of a `RedisClient` as a value (see `RedisCircuitBreakerPolicy`): closed, open until an
/// instant, or half-open with one probe in flight. No I/O, no clock of its own.
struct CircuitBreaker {
    enum State: Equatable {
        case closed(consecutiveFailures: Int)
        case open(until: ContinuousClock.Instant)
        case halfOpen
    }

    let policy: RedisCircuitBreakerPolicy
    private(set) var state: State = .closed(consecutiveFailures: 0)

    init(policy: RedisCircuitBreakerPolicy) {
        self.policy = policy
    }

    enum Admission: Equatable {
        /// Send the command.
        case allow
        /// Send it as the probe: its outcome decides whether the breaker closes.
        case probe
        /// Do not send it; the breaker reopens for a probe after this long.
        case reject(retryAfter: Duration)
    }

    /// Whether a command may be sent at `now`.
    mutating func admit(now: ContinuousClock.Instant) -> Admission {
        switch state {
        case .closed:
            return .allow
        case .open(let until) where until <= now:
            state = .halfOpen
            return .probe
        case .open(let until):
            return .reject(retryAfter: now.duration(to: until))
        case .halfOpen:
            // The probe is still in flight; wait for its verdict.
            return .reject(retryAfter: policy.openDuration)
        }
    }

    /// A command reached Redis and got a reply (an error reply included). Returns true if this closed the breaker.
    mutating func recordSuccess() -> Bool {
        let wasOpen = state == .halfOpen
        state = .closed(consecutiveFailures: 0)
        return wasOpen
    }

    /// A command failed to get a reply (connect failure, timeout, lost connection). Returns true if this opened the
    /// breaker.
    mutating func recordFailure(now: ContinuousClock.Instant) -> Bool {
        switch state {
        case .halfOpen:
            state = .open(until: now + policy.openDuration)
            return true
        case .closed(let failures) where failures + 1 >= policy.failureThreshold:
            state = .open(until: now + policy.openDuration)
            return true
        case .closed(let failures):
            state = .closed(consecutiveFailures: failures + 1)
            return false
        case .open:
            return false
        }
    }

    /// A probe ended without a verdict (its task was cancelled): let the next command probe.
    mutating func probeAbandoned(now: ContinuousClock.Instant) {
        if state == .halfOpen { state = .open(until: now) }
    }
}
