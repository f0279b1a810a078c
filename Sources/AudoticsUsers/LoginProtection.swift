public import AudoticsRedisClient
import AudoticsRedis

/// The rate limits of UserService, each a decision for one key: addresses for Register, Login and Refresh, and
/// failed logins per account.
public protocol LoginProtection: Sendable {
    /// Takes one attempt from `kind`'s budget for `key`: `nil` if allowed, else how long until the next one is.
    func acquire(_ kind: AttemptKind, key: String) async -> Duration?

    /// How long `account` is locked after too many failed logins (`nil`: not locked).
    func lockout(account: String) async -> Duration?

    /// Records a failed login for `account`.
    func recordFailure(account: String) async

    /// Forgets `account`'s failed logins (after a successful one).
    func clearFailures(account: String) async
}

/// What an attempt is, for its budget.
public enum AttemptKind: String, Sendable, Hashable, CaseIterable {
    /// Registrations per address: 10 per hour.
    case registerPerAddress
    /// Login attempts per address: 30 per minute.
    case loginPerAddress
    /// Refreshes per address: 60 per minute.
    case refreshPerAddress

    /// The bucket: a burst of the whole budget, refilled evenly over the window.
    public var policy: TokenBucketPolicy {
        switch self {
        case .registerPerAddress: TokenBucketPolicy(capacity: 10, refillPerSecond: 10.0 / 3600)
        case .loginPerAddress: TokenBucketPolicy(capacity: 30, refillPerSecond: 30.0 / 60)
        case .refreshPerAddress: TokenBucketPolicy(capacity: 60, refillPerSecond: 60.0 / 60)
        }
    }
}

/// `LoginProtection` in Redis, shared by every replica: token buckets (`RedisRateLimiter`) for the per-address
/// budgets, and a failure counter per account (`INCR` with a 15-minute expiry set by the first failure; 5
/// failures lock the account until the counter expires).
///
/// When Redis is down the address budgets fall back to per-process buckets (see `RedisRateLimiter`); the
/// per-account counter cannot be read and does not lock (the address budget still bounds guessing).
public struct RedisLoginProtection: LoginProtection {
    /// Failed logins per account before it locks.
    public static let maxFailures = 5
    /// How long failures are remembered.
    public static let failureWindow: Duration = .seconds(15 * 60)

    private let client: RedisClient
    private let namespace: String
    private let limiters: [AttemptKind: RedisRateLimiter]

    /// Creates the limits over `client`, their keys under `namespace` (tests use their own).
    public init(client: RedisClient, namespace: String = "users") {
        self.client = client
        self.namespace = namespace
        var limiters: [AttemptKind: RedisRateLimiter] = [:]
        for kind in AttemptKind.allCases {
            limiters[kind] = RedisRateLimiter(client: client, namespace: "\(namespace):ratelimit:\(kind.rawValue)", policy: kind.policy)
        }
        self.limiters = limiters
    }

    public func acquire(_ kind: AttemptKind, key: String) async -> Duration? {
        guard let limiter = limiters[kind] else { return nil }
        switch await limiter.acquire(key) {
        case .allowed: return nil
        case .limited(let retryAfter): return retryAfter
        }
    }

    private func failureKey(_ account: String) -> String { "\(namespace):failed-logins:\(account)" }

    public func lockout(account: String) async -> Duration? {
        let key = failureKey(account)
        guard let replies = try? await client.pipeline([RESPCommand(strings: ["GET", key]), RESPCommand(strings: ["PTTL", key])]),
            replies.count == 2, let count = replies[0].integerValue, count >= Self.maxFailures
        else { return nil }
        let milliseconds = replies[1].integerValue ?? 0
        return milliseconds > 0 ? .milliseconds(milliseconds) : nil
    }

    public func recordFailure(account: String) async {
        let key = failureKey(account)
        let window = String(Self.failureWindow.components.seconds * 1000)
        _ = try? await client.pipeline([
            RESPCommand(strings: ["INCR", key]), RESPCommand(strings: ["PEXPIRE", key, window, "NX"]),
        ])
    }

    public func clearFailures(account: String) async {
        _ = try? await client.send(RESPCommand(strings: ["DEL", failureKey(account)]))
    }
}

extension RedisReply {
    /// An integer reply, or a bulk string holding one (GET of a counter).
    fileprivate var integerValue: Int? {
        switch self {
        case .integer(let value): Int(value)
        case .bulkString(let bytes): Int(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }
}
