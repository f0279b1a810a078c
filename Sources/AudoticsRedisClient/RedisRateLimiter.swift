public import AudoticsRedis
public import Logging
import Synchronization

/// A token-bucket rate limiter shared by every replica through Redis (e.g. logins per account and per address).
///
/// Each decision is one atomic Lua script in Redis (`EVALSHA`, falling back to `EVAL` when Redis does not have the
/// script cached, as after a restart), so concurrent callers anywhere never take more tokens than the bucket
/// holds. Time is Redis's clock. A refusal carries the exact delay until enough tokens are back, for a
/// RESOURCE_EXHAUSTED with a retry delay.
///
/// When Redis cannot be asked, `fallback` decides; the default is `perProcessBuckets`: the same policy, enforced
/// in this process's memory. We chose it for login limits because failing closed would turn a Redis outage into
/// a login outage for everyone, and failing open would lift the brute-force bound exactly when an attacker might
/// cause the outage; per-process buckets keep logins working and the bound within a factor of the replica count.
public final class RedisRateLimiter: Sendable {
    /// The client commands go through.
    public let client: RedisClient
    /// The prefix of every bucket's key, e.g. `ratelimit:login:account`.
    public let namespace: String
    /// The bucket size and refill rate.
    public let policy: TokenBucketPolicy
    /// What to decide when Redis cannot be asked.
    public let fallback: RateLimiterFallback
    private let local: Mutex<LocalTokenBuckets>
    private let logger: Logger
    /// The script's capacity and refill-rate arguments, encoded once (a `Double` formatted per request cost more
    /// than the rest of the command).
    private let capacityArgument: [UInt8]
    private let refillArgument: [UInt8]
    /// `namespace:`, the prefix of every bucket's key.
    private let keyPrefix: [UInt8]

    /// Creates a limiter whose buckets are `namespace:key` in Redis; `maximumLocalKeys` bounds the fallback buckets.
    public init(
        client: RedisClient, namespace: String, policy: TokenBucketPolicy, fallback: RateLimiterFallback = .perProcessBuckets,
        maximumLocalKeys: Int = 100_000, logger: Logger = Logger(label: "audotics.redis.ratelimit")
    ) {
        self.client = client
        self.namespace = namespace
        self.policy = policy
        self.fallback = fallback
        self.local = Mutex(LocalTokenBuckets(maximumKeys: maximumLocalKeys))
        self.logger = logger
        capacityArgument = Array(String(policy.capacity).utf8)
        refillArgument = Array("\(policy.refillPerSecond)".utf8)
        keyPrefix = Array("\(namespace):".utf8)
    }

    /// `EVALSHA <the script's SHA-1>`, the start of every decision's command.
    private static let evalSHA: [[UInt8]] = [Array("EVALSHA".utf8), Array(TokenBucketScript.sha1.utf8)]
    /// `1`: the number of keys the script takes, and the usual cost.
    private static let one = Array("1".utf8)

    /// Takes `cost` tokens (1 to the capacity) from the bucket of `key`, or says how long until it could.
    public func acquire(_ key: String, cost: Int = 1) async -> RateLimitDecision {
        precondition(cost >= 1 && cost <= policy.capacity, "a request costs between 1 and the bucket's capacity")
        do {
            return try await acquireInRedis(key, cost: cost)
        } catch {
            return decideWithoutRedis(key, cost: cost, error: error)
        }
    }

    /// Takes one token from each limiter's bucket of its key; the decisions come back in order. Limiters that
    /// share a client are asked in one pipelined round trip (the gateway's per-address and per-user buckets).
    public static func acquire(_ requests: [(limiter: RedisRateLimiter, key: String)]) async -> [RateLimitDecision] {
        guard requests.count > 1, let client = requests.first?.limiter.client,
            requests.allSatisfy({ $0.limiter.client === client })
        else {
            var decisions: [RateLimitDecision] = []
            for (limiter, key) in requests { decisions.append(await limiter.acquire(key)) }
            return decisions
        }
        let commands = requests.map { RESPCommand(evalSHA + $0.limiter.arguments($0.key, cost: 1)) }
        let replies: [RedisReply]
        do {
            replies = try await client.pipeline(commands)
        } catch {
            return requests.map { $0.limiter.decideWithoutRedis($0.key, cost: 1, error: error) }
        }
        var decisions: [RateLimitDecision] = []
        for (index, (limiter, key)) in requests.enumerated() {
            if index < replies.count, let decision = try? Self.decision(from: replies[index]) {
                decisions.append(decision)
            } else {
                // NOSCRIPT (Redis restarted) or an odd reply: this one alone, the long way.
                decisions.append(await limiter.acquire(key))
            }
        }
        return decisions
    }

    /// What `fallback` decides when Redis could not be asked.
    func decideWithoutRedis(_ key: String, cost: Int, error: RedisError) -> RateLimitDecision {
        let level: Logger.Level = error.code == .unavailable ? .debug : .warning
        logger.log(level: level, "rate limit decided without Redis", metadata: [
            "ratelimit.namespace": "\(namespace)", "ratelimit.fallback": "\(fallback)", "error": "\(error)",
        ])
        switch fallback {
        case .allow:
            return .allowed(remaining: policy.capacity - cost)
        case .deny(let retryAfter):
            return .limited(retryAfter: retryAfter)
        case .perProcessBuckets:
            let policy = self.policy
            return local.withLock { $0.take(key, cost: cost, policy: policy, now: .now) }
        }
    }

    /// The script's arguments for `key`: one key, then capacity, refill rate and cost.
    func arguments(_ key: String, cost: Int) -> [[UInt8]] {
        var bucket = keyPrefix
        bucket.append(contentsOf: key.utf8)
        return [Self.one, bucket, capacityArgument, refillArgument, cost == 1 ? Self.one : Array(String(cost).utf8)]
    }

    private func acquireInRedis(_ key: String, cost: Int) async throws(RedisError) -> RateLimitDecision {
        let arguments = arguments(key, cost: cost)
        var reply = try await client.send(RESPCommand(Self.evalSHA + arguments))
        if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
            // EVAL runs the script and caches it, so the next EVALSHA finds it.
            reply = try await client.send(RESPCommand([Array("EVAL".utf8), Array(TokenBucketScript.source.utf8)] + arguments))
        }
        return try Self.decision(from: reply)
    }

    /// The script's answer: `{1, remaining}` or `{0, microseconds until enough tokens}`.
    static func decision(from reply: RedisReply) throws(RedisError) -> RateLimitDecision {
        guard case .array(let values) = reply, values.count == 2,
              case .integer(let allowed) = values[0], case .integer(let amount) = values[1] else {
            throw RedisError(code: .unexpectedReply, message: "the token bucket script answered \(reply.summary)")
        }
        return allowed == 1 ? .allowed(remaining: Int(amount)) : .limited(retryAfter: .microseconds(amount))
    }
}
