import AudoticsRedis
import Testing

@Suite("RESPReader")
struct RESPReaderTests {
    static func replies(from bytes: [UInt8], reader: RESPReader) throws -> [RedisReply] {
        try reader.feed(bytes)
        var replies: [RedisReply] = []
        while let reply = try reader.next() { replies.append(reply) }
        return replies
    }

    static let mixed = Array("+OK\r\n-ERR wrong type\r\n:-42\r\n$5\r\nhe\0lo\r\n$-1\r\n*-1\r\n*0\r\n$0\r\n\r\n".utf8)
    static let mixedReplies: [RedisReply] = [
        .status("OK"), .error("ERR wrong type"), .integer(-42), .bulkString(Array("he\0lo".utf8)), .null, .null,
        .array([]), .bulkString([]),
    ]

    @Test("parses every RESP2 type")
    func everyType() throws {
        #expect(try Self.replies(from: Self.mixed, reader: RESPReader()) == Self.mixedReplies)
    }

    @Test("parses input fed one byte at a time")
    func byteByByte() throws {
        let reader = try RESPReader()
        var replies: [RedisReply] = []
        for byte in Self.mixed + Self.nested {
            replies += try Self.replies(from: [byte], reader: reader)
        }
        #expect(replies == Self.mixedReplies + [Self.nestedReply])
        #expect(reader.bufferedByteCount == 0)
    }

    static let nested = Array("*3\r\n:1\r\n*2\r\n$3\r\nfoo\r\n*1\r\n$-1\r\n+end\r\n".utf8)
    static let nestedReply = RedisReply.array([.integer(1), .array([.bulkString(Array("foo".utf8)), .array([.null])]), .status("end")])

    @Test("parses nested arrays")
    func nestedArrays() throws {
        #expect(try Self.replies(from: Self.nested, reader: RESPReader()) == [Self.nestedReply])
    }

    @Test("returns nothing until a reply is complete")
    func incomplete() throws {
        let reader = try RESPReader()
        #expect(try Self.replies(from: Array("*2\r\n$3\r\nfo".utf8), reader: reader) == [])
        #expect(reader.bufferedByteCount > 0)
        #expect(try Self.replies(from: Array("o\r\n:7\r\n".utf8), reader: reader) == [.array([.bulkString(Array("foo".utf8)), .integer(7)])])
    }

    @Test("protocol violations fail the reader for good", arguments: ["?what\r\n", ":12x\r\n", "$abc\r\n", "*1\r\n!\r\n"])
    func protocolViolations(input: String) throws {
        let reader = try RESPReader()
        let error = #expect(throws: RedisError.self) { try Self.replies(from: Array(input.utf8), reader: reader) }
        #expect(error?.code == .protocolError)
        let again = #expect(throws: RedisError.self) { try Self.replies(from: Array("+OK\r\n".utf8), reader: reader) }
        #expect(again == error)
    }

    @Test("nesting deeper than hiredis supports is a protocol error")
    func tooDeep() throws {
        let deep = Array((String(repeating: "*1\r\n", count: 9) + ":1\r\n").utf8)
        let error = #expect(throws: RedisError.self) { try Self.replies(from: deep, reader: RESPReader()) }
        #expect(error?.code == .protocolError)
    }

    @Test("a bulk string larger than the buffer limit is refused")
    func bufferLimit() throws {
        let reader = try RESPReader(limits: RESPReaderLimits(maximumBufferedBytes: 1_024, maximumArrayElements: 10))
        #expect(try Self.replies(from: Array("$2000\r\n".utf8) + [UInt8](repeating: 0x61, count: 1_000), reader: reader) == [])
        let error = #expect(throws: RedisError.self) { try reader.feed([UInt8](repeating: 0x61, count: 1_000)) }
        #expect(error?.code == .limitExceeded)
        #expect(error?.description.contains("aaaa") == false)
    }

    @Test("an array declaring too many elements is refused before allocation")
    func arrayLimit() throws {
        let reader = try RESPReader(limits: RESPReaderLimits(maximumBufferedBytes: 1_024, maximumArrayElements: 10))
        #expect(try Self.replies(from: Array("*10\r\n".utf8) + Array(repeating: Array(":1\r\n".utf8), count: 10).flatMap { $0 }, reader: reader).count == 1)
        let error = #expect(throws: RedisError.self) { try Self.replies(from: Array("*2000000000\r\n".utf8), reader: reader) }
        #expect(error?.code == .limitExceeded)
        let nested = try RESPReader(limits: RESPReaderLimits(maximumBufferedBytes: 1_024, maximumArrayElements: 10))
        let nestedError = #expect(throws: RedisError.self) { try Self.replies(from: Array("*1\r\n*11\r\n".utf8), reader: nested) }
        #expect(nestedError?.code == .limitExceeded)
    }

    @Test("a reader dropped mid-reply frees the partial reply")
    func dropMidReply() throws {
        for _ in 0..<100 {
            let reader = try RESPReader()
            _ = try Self.replies(from: Array("*3\r\n*2\r\n:1\r\n$3\r\nab".utf8), reader: reader)
        }
    }
}
