import AudoticsRedis
import AudoticsRedisClient
import Testing

/// Tests that stop, freeze and restart a redis-server of their own.
@Suite("Redis outages (private redis-server)", .serialized, .enabled(if: PrivateRedisServer.isAvailable, "redis-server is not installed"))
struct RedisOutageTests {
    static func configuration(_ server: PrivateRedisServer) throws -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: server.url)
        configuration.commandTimeout = .milliseconds(200)
        configuration.connectTimeout = .milliseconds(500)
        configuration.reconnectBackoff = RedisBackoff(initial: .milliseconds(50), maximum: .milliseconds(200))
        configuration.circuitBreaker = RedisCircuitBreakerPolicy(failureThreshold: 3, openDuration: .milliseconds(300))
        return configuration
    }

    @Test("the client reconnects after Redis restarts; the cache misses quickly while it is down")
    func restart() async throws {
        let server = try await PrivateRedisServer()
        let client = RedisClient(configuration: try Self.configuration(server))
        let cache = RedisCache(client: client, namespace: "outage")
        #expect(await cache.set("k", to: "v", ttl: .seconds(60)))
        #expect(await cache.getString("k") == "v")

        try await server.stop()
        let start = ContinuousClock.now
        for _ in 0..<200 {
            #expect(await cache.getString("k") == nil)
        }
        #expect(await cache.set("k", to: "w", ttl: .seconds(60)) == false)
        #expect(await cache.invalidate("k") == false)
        // Refused connects fail fast and the backoff and breaker answer the rest: no call waits for a timeout.
        #expect(ContinuousClock.now - start < .seconds(2))

        try await server.start()
        let deadline = ContinuousClock.now + .seconds(5)
        var recovered = false
        while ContinuousClock.now < deadline, !recovered {
            recovered = await cache.set("k", to: "back", ttl: .seconds(60))
            if !recovered { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(recovered)
        #expect(await cache.getString("k") == "back")  // the restarted server is empty: "back" came through it
        await client.shutdown()
        try await server.stop()
    }

    @Test("a hung Redis opens the circuit breaker: after a few timeouts, calls fail at once; it closes when Redis answers")
    func circuitBreaker() async throws {
        let server = try await PrivateRedisServer()
        let client = RedisClient(configuration: try Self.configuration(server))
        let cache = RedisCache(client: client, namespace: "hung")
        #expect(await cache.set("k", to: "v", ttl: .seconds(60)))

        server.pause()
        defer { server.resume() }
        var slow = 0
        for _ in 0..<3 {
            let start = ContinuousClock.now
            #expect(await cache.getString("k") == nil)
            if ContinuousClock.now - start >= .milliseconds(150) { slow += 1 }
        }
        #expect(slow >= 1)  // these waited for the command timeout (or the connect timeout)
        #expect(client.isCircuitOpen)
        let start = ContinuousClock.now
        for _ in 0..<100 { #expect(await cache.getString("k") == nil) }
        #expect(ContinuousClock.now - start < .milliseconds(150))

        server.resume()
        let deadline = ContinuousClock.now + .seconds(5)
        var value: String?
        while ContinuousClock.now < deadline, value == nil {
            value = await cache.getString("k")
            if value == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(value == "v")
        #expect(!client.isCircuitOpen)
        await client.shutdown()
        try await server.stop()
    }

    @Test("with Redis down the rate limiter falls back as configured; per-process buckets still enforce the policy")
    func rateLimiterFallback() async throws {
        let server = try await PrivateRedisServer()
        let client = RedisClient(configuration: try Self.configuration(server))
        let policy = TokenBucketPolicy(capacity: 3, refillPerSecond: 0.01)
        let local = RedisRateLimiter(client: client, namespace: "rl", policy: policy)
        let open = RedisRateLimiter(client: client, namespace: "rl", policy: policy, fallback: .allow)
        let closed = RedisRateLimiter(client: client, namespace: "rl", policy: policy, fallback: .deny(retryAfter: .seconds(30)))
        #expect(await local.acquire("warm").isAllowed)
        try await server.stop()
        for _ in 0..<3 { #expect(await local.acquire("user").isAllowed) }
        guard case .limited(let retryAfter) = await local.acquire("user") else {
            Issue.record("the in-process fallback did not enforce the bucket")
            return
        }
        #expect(retryAfter > .seconds(90) && retryAfter <= .seconds(100))
        #expect(await open.acquire("user").isAllowed)
        #expect(await closed.acquire("user") == .limited(retryAfter: .seconds(30)))
        await client.shutdown()
    }

    @Test("AUTH from the URL: the right password connects, a wrong one fails without showing it")
    func authentication() async throws {
        let server = try await PrivateRedisServer(extraArguments: ["--requirepass", "correct-horse"])
        let good = try await RedisConnection.connect(configuration: RedisConfiguration(url: "redis://:correct-horse@127.0.0.1:\(server.port)/2"))
        #expect(try await good.send(RESPCommand("PING")) == .status("PONG"))
        good.close()
        let error = await #expect(throws: RedisError.self) {
            try await RedisConnection.connect(configuration: RedisConfiguration(url: "redis://:battery-staple@127.0.0.1:\(server.port)"))
        }
        #expect(error?.code == .unexpectedReply)
        #expect(error?.description.contains("battery-staple") == false)
        let anonymous = try await RedisConnection.connect(configuration: RedisConfiguration(url: server.url))
        guard case .error(let message) = try await anonymous.send(RESPCommand("GET", "k")) else {
            Issue.record("an unauthenticated command was answered")
            return
        }
        #expect(message.hasPrefix("NOAUTH"))
        anonymous.close()
        try await server.stop()
    }
}
