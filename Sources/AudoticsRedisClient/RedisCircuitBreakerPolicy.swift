/// When a `RedisClient` stops sending commands to a Redis that keeps failing, and for how long.
///
/// After `failureThreshold` consecutive failures (connects refused or timed out, commands timed out, connections
/// lost) the breaker opens: for `openDuration` every command fails at once with `unavailable`, so a dead or hung
/// Redis costs callers nothing instead of a timeout each. Then one probe command is let through; its success closes
/// the breaker, its failure opens it again. Error replies (`-ERR …`) are answers, not failures.
public struct RedisCircuitBreakerPolicy: Sendable, Hashable {
    /// Consecutive failures that open the breaker; default 3.
    public var failureThreshold: Int
    /// How long the breaker stays open before a probe; default 1 s.
    public var openDuration: Duration

    /// Creates a policy.
    public init(failureThreshold: Int = 3, openDuration: Duration = .seconds(1)) {
        precondition(failureThreshold >= 1, "the failure threshold must be at least 1")
        self.failureThreshold = failureThreshold
        self.openDuration = openDuration
    }
}
