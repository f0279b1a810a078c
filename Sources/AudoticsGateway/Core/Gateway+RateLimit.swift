import AudoticsRedisClient
import AudoticsTLS

extension Gateway {
    /// The outcome of the rate limits for one request: the headers to send (`RateLimit-*`), or a 429.
    struct RateLimitOutcome {
        var headers: [(name: String, value: String)] = []
    }

    /// Takes a token from the address's and the user's buckets; throws 429 with `Retry-After` when either is
    /// empty. The headers describe the tighter of the two.
    func applyRateLimits(_ request: GatewayRequest) async throws(GatewayError) -> [(name: String, value: String)] {
        var checks: [(RedisRateLimiter, String)] = []
        if let perAddress = rateLimits.perAddress, let host = Self.host(of: request.remoteAddress) {
            checks.append((perAddress, "address:" + host))
        }
        if let perUser = rateLimits.perUser, let token = Self.bearerToken(request) {
            let key = rateLimits.userKey?(token) ?? Self.tokenHash(token)
            checks.append((perUser, "user:" + key))
        }
        var tightest: (limiter: RedisRateLimiter, remaining: Int)?
        // Both buckets in one Redis round trip.
        let decisions = await RedisRateLimiter.acquire(checks.map { (limiter: $0.0, key: $0.1) })
        for ((limiter, _), decision) in zip(checks, decisions) {
            switch decision {
            case .allowed(let remaining):
                if tightest.map({ remaining < $0.remaining }) ?? true { tightest = (limiter, remaining) }
            case .limited(let retryAfter):
                let seconds = Self.wholeSeconds(retryAfter)
                throw GatewayError(
                    status: 429, code: .resourceExhausted, message: "too many requests; retry in \(seconds) s",
                    headers: [
                        "retry-after": String(seconds), "ratelimit-limit": String(limiter.policy.capacity),
                        "ratelimit-remaining": "0", "ratelimit-reset": String(seconds),
                    ])
            }
        }
        guard let (limiter, remaining) = tightest else { return [] }
        let missing = Double(limiter.policy.capacity - remaining)
        let reset = limiter.policy.refillPerSecond > 0 ? Int((missing / limiter.policy.refillPerSecond).rounded(.up)) : 0
        return [
            ("ratelimit-limit", String(limiter.policy.capacity)), ("ratelimit-remaining", String(remaining)),
            ("ratelimit-reset", String(reset)),
        ]
    }

    /// The token of `Authorization: Bearer <token>`, if any.
    static func bearerToken(_ request: GatewayRequest) -> String? {
        guard let value = request.header("authorization") else { return nil }
        let parts = value.trimmingSpaces().split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingSpaces()
        return token.isEmpty ? nil : String(token)
    }

    /// A short stable key for a token (its SHA-256, hex, first 32 digits): never the token itself in Redis.
    static func tokenHash(_ token: String) -> String {
        let digest = (try? SHA256.hash(Array(token.utf8))) ?? Array(token.utf8.prefix(16))
        return RequestID.hex(digest.prefix(16))
    }

    /// Whole seconds, rounded up, at least 1.
    static func wholeSeconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds + (attoseconds > 0 ? 1 : 0))
    }
}
