import AudoticsRedis
import AudoticsRedisClient
import Testing

@Suite("RedisConnection against a live Redis", .enabled(if: TestRedis.url != nil, TestRedis.skipReason))
struct RedisConnectionLiveTests {
    @Test("every reply type comes back as its RedisReply, values binary safe")
    func replyTypes() async throws {
        let connection = try await RedisConnection.connect(configuration: TestRedis.configuration())
        defer { connection.close() }
        let key = TestRedis.uniqueKey()
        let value: [UInt8] = Array("välue\r\n$-1\r\n".utf8) + [0, 255]
        #expect(try await connection.send(RESPCommand([Array("SET".utf8), Array(key.utf8), value])) == .status("OK"))
        #expect(try await connection.send(RESPCommand("GET", key)) == .bulkString(value))
        #expect(try await connection.send(RESPCommand("GET", key + ":missing")) == .null)
        #expect(try await connection.send(RESPCommand("INCRBY", key + ":n", "-7")) == .integer(-7))
        #expect(try await connection.send(RESPCommand("RPUSH", key + ":l", "a", "b")) == .integer(2))
        #expect(try await connection.send(RESPCommand("LRANGE", key + ":l", "0", "-1")) == .array([.bulkString([97]), .bulkString([98])]))
        guard case .error(let message) = try await connection.send(RESPCommand("INCR", key)) else {
            Issue.record("INCR of a non-number must be an error reply")
            return
        }
        #expect(message.contains("not an integer"))
        // The connection is fine after an error reply.
        #expect(try await connection.send(RESPCommand("DEL", key, key + ":n", key + ":l")) == .integer(3))
    }

    @Test("a pipeline of 1,000 commands goes out in one write and its replies come back in order")
    func pipelineOfAThousand() async throws {
        let connection = try await RedisConnection.connect(configuration: TestRedis.configuration())
        defer { connection.close() }
        let key = TestRedis.uniqueKey()
        let replies = try await connection.pipeline((0..<1_000).map { _ in RESPCommand("INCR", key) }, timeout: .seconds(5))
        #expect(replies == (1...1_000).map { .integer(Int64($0)) })
        let sets = (0..<1_000).map { RESPCommand("SET", "\(key):\($0)", "value \($0)") }
        #expect(try await connection.pipeline(sets, timeout: .seconds(5)).allSatisfy { $0 == .status("OK") })
        let values = try await connection.send(RESPCommand(strings: ["MGET"] + (0..<1_000).map { "\(key):\($0)" }))
        #expect(values == .array((0..<1_000).map { RedisReply.bulkString(Array("value \($0)".utf8)) }))
        _ = try await connection.send(RESPCommand(strings: ["DEL", key] + (0..<1_000).map { "\(key):\($0)" }))
    }

    @Test("many tasks share one connection and each gets its own replies")
    func concurrentTasks() async throws {
        let connection = try await RedisConnection.connect(configuration: TestRedis.configuration())
        defer { connection.close() }
        let key = TestRedis.uniqueKey()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<100 {
                group.addTask {
                    for round in 0..<20 {
                        let mine = "\(key):\(task)"
                        let replies = try await connection.pipeline([
                            RESPCommand("SET", mine, "\(task)/\(round)"), RESPCommand("GET", mine), RESPCommand("INCR", key),
                        ])
                        #expect(replies[1] == .bulkString(Array("\(task)/\(round)".utf8)))
                        _ = try await connection.send(RESPCommand("GET", mine))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await connection.send(RESPCommand("GET", key)) == .bulkString(Array("2000".utf8)))
        _ = try await connection.send(RESPCommand(strings: ["DEL", key] + (0..<100).map { "\(key):\($0)" }))
    }

    @Test("a command without a reply in time fails with timedOut and closes the connection, failing the rest")
    func timeout() async throws {
        let connection = try await RedisConnection.connect(configuration: TestRedis.configuration())
        let key = TestRedis.uniqueKey()
        let start = ContinuousClock.now
        async let behind: RedisError? = {
            do {
                _ = try await connection.send(RESPCommand("PING"), timeout: .seconds(10))
                return nil
            } catch {
                return error as? RedisError
            }
        }()
        let error = await #expect(throws: RedisError.self) {
            try await connection.send(RESPCommand("BLPOP", key, "5"), timeout: .milliseconds(200))
        }
        #expect(error?.code == .timedOut)
        #expect(ContinuousClock.now - start < .seconds(2))
        // The PING may have been queued behind the BLPOP; it fails with the connection rather than waiting 5 s.
        if let failed = await behind { #expect(failed.code == .timedOut || failed.code == .connectionFailed) }
        try await connection.closeFuture.get()
        #expect(!connection.isActive)
        let after = await #expect(throws: RedisError.self) { try await connection.send(RESPCommand("PING")) }
        #expect(after != nil)
    }

    @Test("the database number in the URL is selected on connect")
    func selectsDatabase() async throws {
        let base = try #require(TestRedis.url)
        let inFive = try await RedisConnection.connect(configuration: RedisConfiguration(url: base + "/5"))
        let inZero = try await RedisConnection.connect(configuration: RedisConfiguration(url: base))
        defer { inFive.close(); inZero.close() }
        let key = TestRedis.uniqueKey()
        _ = try await inFive.send(RESPCommand("SET", key, "five", "EX", "60"))
        #expect(try await inZero.send(RESPCommand("GET", key)) == .null)
        #expect(try await inFive.send(RESPCommand("GET", key)) == .bulkString(Array("five".utf8)))
        _ = try await inFive.send(RESPCommand("DEL", key))
    }

    @Test("limits: a pipeline deeper than allowed is refused before sending; a reply above the size limit closes the connection")
    func limits() async throws {
        let shallow = try await RedisConnection.connect(configuration: TestRedis.configuration { $0.maximumPipelineDepth = 10 })
        defer { shallow.close() }
        let deep = await #expect(throws: RedisError.self) {
            try await shallow.pipeline((0..<11).map { _ in RESPCommand("PING") })
        }
        #expect(deep?.code == .limitExceeded)
        #expect(try await shallow.pipeline((0..<10).map { _ in RESPCommand("PING") }).count == 10)

        let key = TestRedis.uniqueKey()
        _ = try await shallow.send(RESPCommand("SET", key, String(repeating: "x", count: 4_096), "EX", "60"))
        let small = try await RedisConnection.connect(configuration: TestRedis.configuration {
            $0.readerLimits = RESPReaderLimits(maximumBufferedBytes: 1_024, maximumArrayElements: 16)
        })
        let tooLarge = await #expect(throws: RedisError.self) { try await small.send(RESPCommand("GET", key)) }
        #expect(tooLarge?.code == .limitExceeded)
        try await small.closeFuture.get()
        _ = try await shallow.send(RESPCommand("DEL", key))
    }
}
