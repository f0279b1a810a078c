/// Token buckets in process memory, for when Redis cannot be asked (`RateLimiterFallback.perProcessBuckets`).
///
/// At most `maximumKeys` buckets are kept: when full, buckets that have refilled completely are forgotten (a full
/// bucket and a missing one mean the same), and if none has, the least recently used one is.
struct LocalTokenBuckets {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private var buckets: [String: Bucket] = [:]
    let maximumKeys: Int

    init(maximumKeys: Int) {
        self.maximumKeys = maximumKeys
    }

    /// Takes `cost` tokens from the bucket of `key` at `now` under `policy`.
    mutating func take(_ key: String, cost: Int, policy: TokenBucketPolicy, now: ContinuousClock.Instant) -> RateLimitDecision {
        let bucket = buckets[key]
        let elapsed = bucket.map { $0.updated.duration(to: now) } ?? .zero
        let (tokens, decision) = policy.take(tokens: bucket?.tokens, elapsed: elapsed, cost: cost)
        if bucket == nil, buckets.count >= maximumKeys { evict(now: now, policy: policy) }
        buckets[key] = Bucket(tokens: tokens, updated: now)
        return decision
    }

    var count: Int { buckets.count }

    private mutating func evict(now: ContinuousClock.Instant, policy: TokenBucketPolicy) {
        let refillTime = policy.refillTime
        buckets = buckets.filter { $0.value.updated.duration(to: now) < refillTime }
        if buckets.count >= maximumKeys, let oldest = buckets.min(by: { $0.value.updated < $1.value.updated })?.key {
            buckets[oldest] = nil
        }
    }
}
