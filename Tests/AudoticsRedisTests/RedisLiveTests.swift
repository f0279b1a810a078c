import AudoticsRedis
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Live Redis over a blocking socket")
struct RedisLiveTests {
    /// Sends `command` and reads until one reply is complete.
    static func call(_ command: RESPCommand, on socket: BlockingSocket, reader: RESPReader) throws -> RedisReply {
        try socket.send(command.encoded())
        while true {
            if let reply = try reader.next() { return reply }
            try reader.feed(socket.receive())
        }
    }

    static func connect() throws -> BlockingSocket {
        let url = try #require(
            TestEnvironment.value("AUDOTICS_TEST_REDIS_URL"),
            "AUDOTICS_TEST_REDIS_URL is not set: run the tests with tools/test, which starts a private Redis"
        )
        return try BlockingSocket(url: url)
    }

    @Test("PING answers PONG")
    func ping() throws {
        let socket = try Self.connect()
        let reader = try RESPReader()
        #expect(try Self.call(RESPCommand("PING"), on: socket, reader: reader) == .status("PONG"))
    }

    @Test("SET then GET returns the binary value, and a missing key is null")
    func setGet() throws {
        let socket = try Self.connect()
        let reader = try RESPReader()
        let key = Array("audotics:test:\(getpid()):\(UInt64.random(in: 0...UInt64.max))".utf8)
        let value: [UInt8] = Array("välue\r\n".utf8) + [0, 1, 2, 255]
        #expect(try Self.call(RESPCommand([Array("SET".utf8), key, value, Array("EX".utf8), Array("60".utf8)]), on: socket, reader: reader) == .status("OK"))
        #expect(try Self.call(RESPCommand([Array("GET".utf8), key]), on: socket, reader: reader) == .bulkString(value))
        #expect(try Self.call(RESPCommand([Array("DEL".utf8), key]), on: socket, reader: reader) == .integer(1))
        #expect(try Self.call(RESPCommand([Array("GET".utf8), key]), on: socket, reader: reader) == .null)
    }

    @Test("pipelined commands come back in order; a bad command is an error reply, not a failure")
    func pipeline() throws {
        let socket = try Self.connect()
        let reader = try RESPReader()
        let key = "audotics:test:list:\(getpid()):\(UInt64.random(in: 0...UInt64.max))"
        let commands = [
            RESPCommand("RPUSH", key, "a", "b", "c"), RESPCommand("LRANGE", key, "0", "-1"),
            RESPCommand("NOSUCHCOMMAND"), RESPCommand("DEL", key),
        ]
        try socket.send(commands.flatMap { try $0.encoded() })
        var replies: [RedisReply] = []
        while replies.count < commands.count {
            if let reply = try reader.next() { replies.append(reply) } else { try reader.feed(socket.receive()) }
        }
        #expect(replies[0] == .integer(3))
        #expect(replies[1] == .array(["a", "b", "c"].map { .bulkString(Array($0.utf8)) }))
        guard case .error(let message) = replies[2] else {
            Issue.record("expected an error reply, got \(replies[2])")
            return
        }
        #expect(message.hasPrefix("ERR unknown command"))
        #expect(replies[3] == .integer(1))
    }
}
