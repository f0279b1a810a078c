import AudoticsRedis
import Testing

@Suite("RESPCommand")
struct RESPCommandTests {
    @Test("encodes an argument vector as an array of bulk strings")
    func encodes() throws {
        #expect(try RESPCommand("SET", "key", "välue").encoded() == Array("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$6\r\nvälue\r\n".utf8))
        #expect(try RESPCommand("PING").encoded() == Array("*1\r\n$4\r\nPING\r\n".utf8))
    }

    @Test("arguments are binary safe: CRLF, zero bytes and RESP markers stay inside their argument")
    func binarySafe() throws {
        let tricky: [UInt8] = Array("x\r\n*1\r\n$4\r\nQUIT\r\n".utf8) + [0, 255, 0]
        let command = RESPCommand([Array("SET".utf8), [], tricky])
        let reader = try RESPReader()
        try reader.feed(command.encoded())
        #expect(try reader.next() == .array([.bulkString(Array("SET".utf8)), .bulkString([]), .bulkString(tricky)]))
        #expect(try reader.next() == nil)
    }

    @Test("encode then parse round trips many commands in one stream")
    func roundTrip() throws {
        let commands = (0..<50).map { index in
            RESPCommand((0...(index % 7)).map { Array("argument \(index)-\($0)".utf8) })
        }
        let reader = try RESPReader()
        try reader.feed(commands.flatMap { try $0.encoded() })
        for command in commands {
            #expect(try reader.next() == .array(command.arguments.map { .bulkString($0) }))
        }
        #expect(try reader.next() == nil)
    }

    @Test("an empty command is invalid")
    func empty() {
        let error = #expect(throws: RedisError.self) { try RESPCommand([]).encoded() }
        #expect(error?.code == .invalidCommand)
    }
}
