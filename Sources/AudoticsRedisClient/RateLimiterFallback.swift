/// What a `RedisRateLimiter` decides when Redis cannot be asked (unreachable, circuit breaker open, timed out).
public enum RateLimiterFallback: Sendable, Hashable {
    /// Enforce the same policy with token buckets in this process's memory (the default): the limit then holds
    /// per replica instead of globally, so N replicas allow up to N times the budget until Redis is back. Login
    /// keeps working and brute force stays bounded.
    case perProcessBuckets
    /// Allow every request (fail open): availability over protection.
    case allow
    /// Refuse every request, retrying after the given delay (fail closed): protection over availability.
    case deny(retryAfter: Duration)
}
