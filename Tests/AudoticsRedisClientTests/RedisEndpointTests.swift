import AudoticsRedis
import AudoticsRedisClient
import Testing

@Suite("RedisEndpoint")
struct RedisEndpointTests {
    @Test("parses host, port, password, user and database")
    func parses() throws {
        #expect(try RedisEndpoint(url: "redis://127.0.0.1:6380") == RedisEndpoint(host: "127.0.0.1", port: 6380))
        #expect(try RedisEndpoint(url: "redis://cache.internal") == RedisEndpoint(host: "cache.internal", port: 6379))
        #expect(try RedisEndpoint(url: "redis://:s3cret@h:1/4") == RedisEndpoint(host: "h", port: 1, password: "s3cret", database: 4))
        #expect(try RedisEndpoint(url: "redis://app:p%40ss%3Aw@h/2") == RedisEndpoint(host: "h", username: "app", password: "p@ss:w", database: 2))
        #expect(try RedisEndpoint(url: "redis://[::1]:7000/1") == RedisEndpoint(host: "::1", port: 7000, database: 1))
    }

    @Test("rejects malformed URLs", arguments: ["http://h", "redis://", "redis://h:0", "redis://h:99999", "redis://h:x", "redis://h/db", "redis://[::1"])
    func rejects(url: String) {
        let error = #expect(throws: RedisError.self) { try RedisEndpoint(url: url) }
        #expect(error?.code == .invalidCommand)
    }

    @Test("the description never shows the password")
    func redacted() throws {
        let endpoint = try RedisEndpoint(url: "redis://app:topsecret@h:1/3")
        #expect(!endpoint.description.contains("topsecret"))
        #expect(endpoint.description == "redis://app:***@h:1/3")
        let error = #expect(throws: RedisError.self) { try RedisEndpoint(url: "redis://:topsecret@h:port") }
        #expect(error?.description.contains("topsecret") == false)
    }
}
