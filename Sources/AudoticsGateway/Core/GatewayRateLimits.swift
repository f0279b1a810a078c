public import AudoticsRedisClient

/// Request rate limits of the gateway: token buckets in Redis, per client address and per user.
///
/// The user is who the bearer token names: `userKey` maps a token to a stable key (the verified subject when the
/// gateway can verify tokens); by default the key is a hash of the token itself, so a user's bucket follows their
/// token. Requests without a token count against their address only.
public struct GatewayRateLimits: Sendable {
    /// The bucket of each client address; nil: no per-address limit.
    public var perAddress: RedisRateLimiter?
    /// The bucket of each user; nil: no per-user limit.
    public var perUser: RedisRateLimiter?
    /// A token → the user's key; nil means "use a hash of the token".
    public var userKey: (@Sendable (String) -> String?)?

    /// Creates limits (none by default).
    public init(perAddress: RedisRateLimiter? = nil, perUser: RedisRateLimiter? = nil, userKey: (@Sendable (String) -> String?)? = nil) {
        self.perAddress = perAddress
        self.perUser = perUser
        self.userKey = userKey
    }

    /// Whether no limit applies.
    var isEmpty: Bool { perAddress == nil && perUser == nil }
}
