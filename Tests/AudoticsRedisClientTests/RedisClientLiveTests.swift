import AudoticsRedis
import AudoticsRedisClient
import Testing

@Suite("RedisClient against a live Redis", .enabled(if: TestRedis.url != nil, TestRedis.skipReason))
struct RedisClientLiveTests {
    @Test("200 tasks share a pool of 2 connections; every counter increment lands")
    func concurrency() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration { $0.connectionCount = 2 })
        let key = TestRedis.uniqueKey()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<200 {
                group.addTask {
                    for _ in 0..<10 { _ = try await client.send(RESPCommand("INCR", key)) }
                    let echoed = try await client.send(RESPCommand("ECHO", "task \(task)"))
                    #expect(echoed == .bulkString(Array("task \(task)".utf8)))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await client.send(RESPCommand("GET", key)) == .bulkString(Array("2000".utf8)))
        _ = try await client.send(RESPCommand("DEL", key))
        await client.shutdown()
        let after = await #expect(throws: RedisError.self) { try await client.send(RESPCommand("PING")) }
        #expect(after?.code == .unavailable)
    }

    @Test("commands that would change a shared connection are refused; MULTI…EXEC works inside one pipeline")
    func sharedConnectionRules() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration())
        let refused = await #expect(throws: RedisError.self) { try await client.send(RESPCommand("SELECT", "2")) }
        #expect(refused?.code == .invalidCommand)
        let key = TestRedis.uniqueKey()
        let replies = try await client.pipeline([RESPCommand("MULTI"), RESPCommand("INCR", key), RESPCommand("INCR", key), RESPCommand("EXEC")])
        #expect(replies == [.status("OK"), .status("QUEUED"), .status("QUEUED"), .array([.integer(1), .integer(2)])])
        _ = try await client.send(RESPCommand("DEL", key))
        await client.shutdown()
    }
}
