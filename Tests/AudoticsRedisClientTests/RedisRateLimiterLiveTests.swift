@testable import AudoticsRedisClient
import AudoticsRedis
import Testing

@Suite("RedisRateLimiter against a live Redis", .enabled(if: TestRedis.url != nil, TestRedis.skipReason))
struct RedisRateLimiterLiveTests {
    @Test("a burst of the capacity, then refusals with the right retry delay, then a token after that delay")
    func burstThenRefill() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration())
        let limiter = RedisRateLimiter(client: client, namespace: TestRedis.uniqueKey(), policy: TokenBucketPolicy(capacity: 5, refillPerSecond: 4))
        for expected in (0..<5).reversed() {
            #expect(await limiter.acquire("user") == .allowed(remaining: expected))
        }
        guard case .limited(let retryAfter) = await limiter.acquire("user") else {
            Issue.record("the sixth request within the burst was allowed")
            return
        }
        // One token per 250 ms: the wait is 250 ms less the little time the burst took.
        #expect(retryAfter <= .milliseconds(250) && retryAfter > .milliseconds(150))
        try await Task.sleep(for: retryAfter / 2)
        guard case .limited(let shorter) = await limiter.acquire("user") else {
            Issue.record("allowed before the retry delay")
            return
        }
        #expect(shorter < retryAfter)
        try await Task.sleep(for: shorter + .milliseconds(20))
        #expect(await limiter.acquire("user") == .allowed(remaining: 0))
        // Other keys have their own buckets.
        #expect(await limiter.acquire("someone else") == .allowed(remaining: 4))
        await client.shutdown()
    }

    @Test("several buckets in one pipelined round trip: each decided as alone, also after Redis forgot the script")
    func pipelined() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration())
        let namespace = TestRedis.uniqueKey()
        let small = RedisRateLimiter(client: client, namespace: namespace + ":small", policy: TokenBucketPolicy(capacity: 2, refillPerSecond: 0.01))
        let large = RedisRateLimiter(client: client, namespace: namespace + ":large", policy: TokenBucketPolicy(capacity: 10, refillPerSecond: 0.01))
        #expect(await RedisRateLimiter.acquire([(small, "a"), (large, "a")]) == [.allowed(remaining: 1), .allowed(remaining: 9)])
        // NOSCRIPT on the pipelined EVALSHA: each request is retried alone (EVAL), nothing is lost or doubled.
        _ = try await client.send(RESPCommand("SCRIPT", "FLUSH"))
        #expect(await RedisRateLimiter.acquire([(small, "a"), (large, "a")]) == [.allowed(remaining: 0), .allowed(remaining: 8)])
        let third = await RedisRateLimiter.acquire([(small, "a"), (large, "a")])
        guard case .limited = third[0] else {
            Issue.record("the small bucket allowed a third request: \(third)")
            return
        }
        #expect(third[1] == .allowed(remaining: 7))
        await client.shutdown()
    }

    @Test("concurrent callers on two clients (two replicas) never take more than the bucket holds")
    func concurrentBudget() async throws {
        let first = RedisClient(configuration: try TestRedis.configuration())
        let second = RedisClient(configuration: try TestRedis.configuration())
        let namespace = TestRedis.uniqueKey()
        let policy = TokenBucketPolicy(capacity: 20, refillPerSecond: 0.001)
        let limiters = [first, second].map { RedisRateLimiter(client: $0, namespace: namespace, policy: policy, fallback: .deny(retryAfter: .seconds(1))) }
        let allowed = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<300 {
                group.addTask { await limiters[index % 2].acquire("login").isAllowed }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 20)
        await first.shutdown()
        await second.shutdown()
    }

    @Test("the script's SHA-1 is Redis's; after SCRIPT FLUSH, EVALSHA falls back to EVAL and reloads it")
    func evalshaFallback() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration())
        #expect(try await client.send(RESPCommand("SCRIPT", "LOAD", TokenBucketScript.source)) == .bulkString(Array(TokenBucketScript.sha1.utf8)))
        _ = try await client.send(RESPCommand("SCRIPT", "FLUSH"))
        #expect(try await client.send(RESPCommand("SCRIPT", "EXISTS", TokenBucketScript.sha1)) == .array([.integer(0)]))
        let limiter = RedisRateLimiter(
            client: client, namespace: TestRedis.uniqueKey(), policy: TokenBucketPolicy(capacity: 2, refillPerSecond: 1),
            fallback: .deny(retryAfter: .seconds(99)))
        #expect(await limiter.acquire("k") == .allowed(remaining: 1))
        #expect(try await client.send(RESPCommand("SCRIPT", "EXISTS", TokenBucketScript.sha1)) == .array([.integer(1)]))
        #expect(await limiter.acquire("k") == .allowed(remaining: 0))
        await client.shutdown()
    }
}
