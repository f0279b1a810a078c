/// The answer of a `RedisRateLimiter`.
public enum RateLimitDecision: Sendable, Hashable {
    /// Go ahead; `remaining` whole tokens are left in the bucket.
    case allowed(remaining: Int)
    /// Refused; enough tokens will be there after `retryAfter` (for a RESOURCE_EXHAUSTED with a retry delay).
    case limited(retryAfter: Duration)

    /// Whether the request may proceed.
    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}
