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
            let key = rateLimits.userKey?(token) ?? tokenKey(token)
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

    /// The token of `Authorization: Bearer <token>` (the scheme in any case), if any.
    static func bearerToken(_ request: GatewayRequest) -> String? {
        guard let value = request.header("authorization") else { return nil }
        let trimmed = Substring(value).trimmingSpaces()
        guard let space = trimmed.utf8.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        // ASCII case-insensitive: only `B` and `b` turn into `b` with the 0x20 bit set, and so on for each letter.
        guard trimmed.utf8[..<space].elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 }) else { return nil }
        let token = trimmed[trimmed.utf8.index(after: space)...].trimmingSpaces()
        return token.isEmpty ? nil : String(token)
    }

    /// The per-user bucket key of a token without a `userKey` function: its hash, remembered (a client sends the
    /// same token for its whole lifetime; at most `tokenKeyCacheLimit` are kept, forgotten all at once beyond).
    func tokenKey(_ token: String) -> String {
        if let known = tokenKeys.withLock({ $0[token] }) { return known }
        let key = Self.tokenHash(token)
        tokenKeys.withLock { keys in
            if keys.count >= Self.tokenKeyCacheLimit { keys.removeAll(keepingCapacity: true) }
            keys[token] = key
        }
        return key
    }

    /// How many token hashes `tokenKey` remembers.
    static let tokenKeyCacheLimit = 10_000

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
