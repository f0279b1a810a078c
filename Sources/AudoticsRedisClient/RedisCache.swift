public import AudoticsRedis
public import Logging

/// A cache in Redis for the services: values with an explicit time to live, invalidation, and multi-get.
///
/// Redis being down degrades caching, never correctness: every read returns a miss and every write or
/// invalidation returns false (and logs) instead of throwing, and the client's circuit breaker makes that quick
/// while Redis stays down. Callers must therefore treat the cache as optional: read through to the database on a
/// miss, and keep TTLs short enough that an invalidation lost while Redis was unreachable (a network partition,
/// not a restart, which empties the cache) is bounded by the TTL.
///
/// Keys are `namespace:key`; they and the values are binary safe (sent as bulk strings, never spliced into text).
public struct RedisCache: Sendable {
    /// The client commands go through.
    public let client: RedisClient
    /// The prefix of every key, e.g. `music:track`.
    public let namespace: String
    private let logger: Logger

    /// Creates a cache whose keys are prefixed with `namespace` and a colon.
    public init(client: RedisClient, namespace: String, logger: Logger = Logger(label: "audotics.redis.cache")) {
        self.client = client
        self.namespace = namespace
        self.logger = logger
    }

    /// The value of `key`, or nil on a miss (absent, expired, not a string, or Redis unreachable).
    public func get(_ key: String) async -> [UInt8]? {
        switch await run("GET", [RESPCommand([Array("GET".utf8), redisKey(key)])])?.first {
        case .bulkString(let bytes): bytes
        case .null, nil: nil
        case let other?: miss("GET", unexpected: other)
        }
    }

    /// The value of `key` as UTF-8 text (invalid bytes replaced), or nil on a miss.
    public func getString(_ key: String) async -> String? {
        await get(key).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The values of `keys` in one round trip (`MGET`), in the same order; nil for each miss, all nil if Redis
    /// is unreachable.
    public func get(_ keys: [String]) async -> [[UInt8]?] {
        guard !keys.isEmpty else { return [] }
        let misses = [[UInt8]?](repeating: nil, count: keys.count)
        let command = RESPCommand([Array("MGET".utf8)] + keys.map(redisKey))
        guard let reply = await run("MGET", [command])?.first else { return misses }
        guard case .array(let elements) = reply, elements.count == keys.count else {
            return miss("MGET", unexpected: reply) ?? misses
        }
        return elements.map { element in
            if case .bulkString(let bytes) = element { return bytes }
            return nil
        }
    }

    /// Stores `value` under `key` for `ttl` (rounded up to whole milliseconds; it must be positive). Returns whether
    /// Redis stored it.
    @discardableResult
    public func set(_ key: String, to value: [UInt8], ttl: Duration) async -> Bool {
        guard ttl > .zero else {
            logger.error("cache SET refused: the TTL must be positive", metadata: ["cache.namespace": "\(namespace)"])
            return false
        }
        let milliseconds = Array(String(ttl.roundedUpMilliseconds).utf8)
        let command = RESPCommand([Array("SET".utf8), redisKey(key), value, Array("PX".utf8), milliseconds])
        return await run("SET", [command])?.first == .status("OK")
    }

    /// Stores `value` as UTF-8 under `key` for `ttl`. Returns whether Redis stored it.
    @discardableResult
    public func set(_ key: String, to value: String, ttl: Duration) async -> Bool {
        await set(key, to: Array(value.utf8), ttl: ttl)
    }

    /// Removes `keys` (after the data they cache changed). Returns whether Redis confirmed it; false means the old
    /// values may live until their TTL passes.
    @discardableResult
    public func invalidate(_ keys: [String]) async -> Bool {
        guard !keys.isEmpty else { return true }
        guard case .integer? = await run("DEL", [RESPCommand([Array("DEL".utf8)] + keys.map(redisKey))])?.first else {
            return false
        }
        return true
    }

    /// Removes `key`. Returns whether Redis confirmed it.
    @discardableResult
    public func invalidate(_ key: String) async -> Bool {
        await invalidate([key])
    }

    // MARK: Internals

    private func redisKey(_ key: String) -> [UInt8] {
        Array("\(namespace):\(key)".utf8)
    }

    /// Runs commands, or logs why not and returns nil. An error reply counts as a failure too.
    private func run(_ name: String, _ commands: [RESPCommand]) async -> [RedisReply]? {
        do {
            let replies = try await client.pipeline(commands)
            if let failed = replies.first(where: { if case .error = $0 { true } else { false } }) {
                logger.warning("cache \(name) got an error reply", metadata: ["cache.namespace": "\(namespace)", "reply": "\(failed.summary)"])
                return nil
            }
            return replies
        } catch {
            // A cancelled caller (its client went away) says nothing about Redis.
            if error.code == .cancelled {
                logger.debug("cache \(name) skipped: the task was cancelled", metadata: ["cache.namespace": "\(namespace)"])
                return nil
            }
            // `unavailable` is the breaker or the backoff answering at once: the failure behind it was logged.
            let level: Logger.Level = error.code == .unavailable ? .debug : .warning
            logger.log(level: level, "cache \(name) missed: Redis is unreachable", metadata: [
                "cache.namespace": "\(namespace)", "error": "\(error)",
            ])
            return nil
        }
    }

    private func miss<T>(_ name: String, unexpected reply: RedisReply) -> T? {
        logger.warning("cache \(name) got an unexpected reply", metadata: ["cache.namespace": "\(namespace)", "reply": "\(reply.summary)"])
        return nil
    }
}
