import NIOCore

/// How long a channel waits before reconnecting to an endpoint after failed attempts.
///
/// grpc/grpc `doc/connection-backoff.md`: the delay starts at `initial`, grows by `multiplier` after every failed
/// attempt up to `maximum`, and is spread by ±`jitter` (a fraction) so that clients do not reconnect in lockstep.
public struct ConnectionBackoff: Hashable, Sendable {
    /// The delay after the first failure.
    public var initial: Duration
    /// The factor the delay grows by per failure.
    public var multiplier: Double
    /// The largest delay.
    public var maximum: Duration
    /// The random spread, as a fraction of the delay (0.2 is ±20%).
    public var jitter: Double

    /// Creates a policy; the defaults are gRPC's (1 s, ×1.6, 120 s, ±20%).
    public init(initial: Duration = .seconds(1), multiplier: Double = 1.6, maximum: Duration = .seconds(120), jitter: Double = 0.2) {
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The delay before the next attempt after `failures` consecutive failed attempts (1 or more).
    public func delay(afterFailures failures: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterFailures: failures, using: &generator)
    }

    /// The delay before the next attempt, with the jitter drawn from `generator`.
    public func delay(afterFailures failures: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        var capped = initial.seconds
        for _ in 1..<max(1, failures) where capped < maximum.seconds { capped *= multiplier }
        capped = min(capped, maximum.seconds)
        let spread = jitter > 0 ? Double.random(in: -jitter...jitter, using: &generator) : 0
        return .nanoseconds(Int64(max(0, capped * (1 + spread)) * 1e9))
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The duration for a NIO timer, clamped to what `TimeAmount` holds.
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if nanoseconds.overflow { return .nanoseconds(seconds < 0 ? 0 : .max) }
        let (total, overflow) = nanoseconds.partialValue.addingReportingOverflow(attoseconds / 1_000_000_000)
        return .nanoseconds(overflow ? .max : max(0, total))
    }
}
