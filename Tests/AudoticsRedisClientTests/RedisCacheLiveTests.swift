import AudoticsRedis
import AudoticsRedisClient
import Testing

@Suite("RedisCache against a live Redis", .enabled(if: TestRedis.url != nil, TestRedis.skipReason))
struct RedisCacheLiveTests {
    @Test("set, get, multi-get in order with misses, and invalidate; bytes and strings")
    func roundTrip() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration())
        let cache = RedisCache(client: client, namespace: TestRedis.uniqueKey())
        let bytes: [UInt8] = [0, 1, 2, 13, 10, 255]
        #expect(await cache.set("track:1", to: bytes, ttl: .seconds(60)))
        #expect(await cache.set("track:2", to: "Blue in Green", ttl: .seconds(60)))
        #expect(await cache.get("track:1") == bytes)
        #expect(await cache.getString("track:2") == "Blue in Green")
        #expect(await cache.get("track:3") == nil)
        #expect(await cache.get(["track:2", "track:3", "track:1"]) == [Array("Blue in Green".utf8), nil, bytes])
        #expect(await cache.invalidate(["track:1", "track:2"]))
        #expect(await cache.get(["track:1", "track:2"]) == [nil, nil])
        #expect(await cache.get([]) == [])
        await client.shutdown()
    }

    @Test("entries expire after their TTL, and the TTL is what was asked")
    func ttl() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration())
        let namespace = TestRedis.uniqueKey()
        let cache = RedisCache(client: client, namespace: namespace)
        #expect(await cache.set("short", to: "soon gone", ttl: .milliseconds(300)))
        #expect(await cache.set("long", to: "stays", ttl: .seconds(30)))
        guard case .integer(let remaining) = try await client.send(RESPCommand("PTTL", "\(namespace):short")) else {
            Issue.record("PTTL is not an integer")
            return
        }
        #expect(remaining > 0 && remaining <= 300)
        #expect(await cache.getString("short") == "soon gone")
        try await Task.sleep(for: .milliseconds(450))
        #expect(await cache.getString("short") == nil)
        #expect(await cache.getString("long") == "stays")
        #expect(await cache.set("zero", to: "x", ttl: .zero) == false)
        await client.shutdown()
    }
}
