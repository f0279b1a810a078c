/// A token bucket: up to `capacity` requests at once (the burst), then `refillPerSecond` on average.
///
/// The bucket starts full; each request takes `cost` tokens (usually 1) if it holds that many, and tokens flow
/// back continuously up to the capacity. A refused request learns exactly when enough tokens will be there.
public struct TokenBucketPolicy: Sendable, Hashable {
    /// The most tokens the bucket holds: the largest burst.
    public var capacity: Int
    /// Tokens added per second (fractions allowed: 5 per minute is `5.0 / 60`).
    public var refillPerSecond: Double

    /// Creates a policy; `capacity` must be at least 1 and `refillPerSecond` positive.
    public init(capacity: Int, refillPerSecond: Double) {
        precondition(capacity >= 1, "a token bucket holds at least one token")
        precondition(refillPerSecond > 0 && refillPerSecond.isFinite, "a token bucket must refill")
        self.capacity = capacity
        self.refillPerSecond = refillPerSecond
    }

    /// The bucket after `elapsed` more time and a request of `cost` tokens: the tokens left and the decision.
    /// The Lua script in `TokenBucketScript` is the same arithmetic, run inside Redis.
    func take(tokens: Double?, elapsed: Duration, cost: Int) -> (tokens: Double, decision: RateLimitDecision) {
        var available = tokens ?? Double(capacity)
        if elapsed > .zero { available = min(Double(capacity), available + elapsed.seconds * refillPerSecond) }
        if available >= Double(cost) {
            let left = available - Double(cost)
            return (left, .allowed(remaining: Int(left.rounded(.down))))
        }
        let microseconds = ((Double(cost) - available) * 1e6 / refillPerSecond).rounded(.up)
        return (available, .limited(retryAfter: .microseconds(Int64(microseconds))))
    }

    /// How long an untouched bucket takes to fill up again (after which forgetting it changes nothing).
    var refillTime: Duration {
        .microseconds(Int64((Double(capacity) * 1e6 / refillPerSecond).rounded(.up)))
    }
}
