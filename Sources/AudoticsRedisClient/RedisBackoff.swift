/// How long to wait before reconnecting after consecutive failed connects: exponential with jitter, capped.
public struct RedisBackoff: Sendable, Hashable {
    /// The wait after the first failure.
    public var initial: Duration
    /// The factor the wait grows by per failure.
    public var multiplier: Double
    /// The longest wait, and so the longest a recovered Redis goes unnoticed.
    public var maximum: Duration
    /// The random spread as a fraction of the wait (0.2 is ±20%), so replicas do not reconnect in lockstep.
    public var jitter: Double

    /// Creates a policy; the defaults (100 ms, ×2, 5 s, ±20%) notice a restarted Redis within seconds.
    public init(initial: Duration = .milliseconds(100), multiplier: Double = 2, maximum: Duration = .seconds(5), jitter: Double = 0.2) {
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The wait after `failures` consecutive failed attempts (1 or more).
    public func delay(afterFailures failures: Int) -> Duration {
        var seconds = initial.seconds
        for _ in 1..<max(1, failures) where seconds < maximum.seconds { seconds *= multiplier }
        seconds = min(seconds, maximum.seconds)
        let spread = jitter > 0 ? Double.random(in: -jitter...jitter) : 0
        return .nanoseconds(Int64(max(0, seconds * (1 + spread)) * 1e9))
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Whole milliseconds, rounded up (a TTL or a retry delay never comes out shorter than asked).
    var roundedUpMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (milliseconds, remainder) = attoseconds.quotientAndRemainder(dividingBy: 1_000_000_000_000_000)
        return seconds * 1000 + milliseconds + (remainder > 0 ? 1 : 0)
    }
}
