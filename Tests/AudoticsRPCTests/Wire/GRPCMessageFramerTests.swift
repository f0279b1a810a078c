import AudoticsRPC
import Testing

@Suite("GRPCMessageFramer")
struct GRPCMessageFramerTests {
    @Test("the prefix is the flag and a big-endian length")
    func prefixLayout() throws {
        var output: [UInt8] = [0xAA]
        try GRPCMessageFramer.appendPrefix(compressed: true, length: 0x0102_0304, into: &output)
        #expect(output == [0xAA, 1, 1, 2, 3, 4])
        var empty: [UInt8] = []
        try GRPCMessageFramer().append([], into: &empty)
        #expect(empty == [0, 0, 0, 0, 0])
    }

    @Test("identity framing appends prefix and payload to what is already there")
    func identity() throws {
        var output: [UInt8] = []
        let framer = GRPCMessageFramer()
        try framer.append([1, 2, 3], into: &output)
        try framer.append(Array(repeating: 9, count: 300), into: &output)
        #expect(output.count == 5 + 3 + 5 + 300)
        #expect(Array(output[0..<8]) == [0, 0, 0, 0, 3, 1, 2, 3])
        #expect(Array(output[8..<13]) == [0, 0, 0, 1, 0x2C])
    }

    @Test("lengths beyond 32 bits or negative are refused", arguments: [-1, Int(UInt32.max) + 1])
    func lengthOutOfRange(length: Int) {
        var output: [UInt8] = []
        #expect(throws: RPCError.self) { try GRPCMessageFramer.appendPrefix(compressed: false, length: length, into: &output) }
        #expect(output.isEmpty)
    }

    @Test("works with any RangeReplaceableCollection, e.g. ContiguousArray")
    func otherCollections() throws {
        var output = ContiguousArray<UInt8>()
        try GRPCMessageFramer.append([7], compressed: false, into: &output)
        #expect(Array(output) == [0, 0, 0, 0, 1, 7])
    }

    @Test("framer → deframer → decompression round-trips", arguments: [GRPCMessageCompression.identity, .gzip, .deflate])
    func roundTrip(compression: GRPCMessageCompression) throws {
        let messages: [[UInt8]] = [
            [], Array("hello, hello, hello, hello".utf8), (0..<50_000).map { UInt8(truncatingIfNeeded: $0 * 31) },
        ]
        let framer = GRPCMessageFramer(compression: compression)
        var wire: [UInt8] = []
        for (index, message) in messages.enumerated() {
            try framer.append(message, compress: index != 1, into: &wire)  // message 1 opts out
        }
        var deframer = GRPCMessageDeframer()
        var offset = 0
        var received: [[UInt8]] = []
        var flags: [Bool] = []
        while offset < wire.count {
            let end = min(wire.count, offset + 777)
            deframer.append(contentsOf: wire[offset..<end])
            offset = end
            while let message = try deframer.next() {
                flags.append(message.compressed)
                received.append(try compression.payload(of: message, limit: 1 << 20))
            }
        }
        #expect(received == messages)
        #expect(flags == [compression.isCompressing, false, compression.isCompressing])
    }
}

@Suite("GRPCMessageCompression")
struct GRPCMessageCompressionTests {
    @Test("names look up case-insensitively; unknown names are nil")
    func names() {
        #expect(GRPCMessageCompression(name: "gzip") == .gzip)
        #expect(GRPCMessageCompression(name: "GZip") == .gzip)
        #expect(GRPCMessageCompression(name: "deflate") == .deflate)
        #expect(GRPCMessageCompression(name: "identity") == .identity)
        #expect(GRPCMessageCompression(name: "snappy") == nil)
        #expect(GRPCMessageCompression(name: "") == nil)
        #expect(GRPCMessageCompression.all.map(\.name) == ["identity", "deflate", "gzip"])
        #expect(GRPCMessageCompression.acceptEncodingValue(GRPCMessageCompression.all) == "identity,deflate,gzip")
    }

    @Test("grpc-accept-encoding parsing: commas, spaces, repeats, unknown names")
    func acceptEncoding() {
        #expect(GRPCMessageCompression.parseAcceptEncoding(["gzip, snappy ,deflate", "gzip", " identity"])
            == [.gzip, .deflate, .identity])
        #expect(GRPCMessageCompression.parseAcceptEncoding([""]).isEmpty)
        #expect(GRPCMessageCompression.parseAcceptEncoding([",,,"]).isEmpty)
    }

    @Test("gzip output is real gzip and deflate output is zlib format")
    func formats() throws {
        let gzip = try GRPCMessageCompression.gzip.compress(Array("abc".utf8))
        #expect(Array(gzip.prefix(2)) == [0x1F, 0x8B])
        let deflate = try GRPCMessageCompression.deflate.compress(Array("abc".utf8))
        #expect(deflate[0] & 0x0F == 8 && (UInt16(deflate[0]) << 8 | UInt16(deflate[1])) % 31 == 0)
        #expect(try GRPCMessageCompression.identity.compress([1, 2]) == [1, 2])
    }

    @Test("the limit applies to the decompressed size: exactly the limit passes, one more is RESOURCE_EXHAUSTED",
          arguments: [GRPCMessageCompression.gzip, .deflate])
    func decompressedLimit(compression: GRPCMessageCompression) throws {
        let plain = [UInt8](repeating: 0x41, count: 100_000)
        let packed = try compression.compress(plain)
        #expect(packed.count < 1_000)  // a small input that expands a lot: the bomb case
        #expect(try compression.decompress(packed, limit: 100_000) == plain)
        do {
            _ = try compression.decompress(packed, limit: 99_999)
            Issue.record("expected RESOURCE_EXHAUSTED")
        } catch {
            #expect(error.code == .resourceExhausted)
        }
        let message = GRPCMessageDeframer.Message(compressed: true, bytes: packed)
        #expect(throws: RPCError.self) { try compression.payload(of: message, limit: 4096) }
    }

    @Test("corrupt and truncated compressed input is INTERNAL", arguments: [GRPCMessageCompression.gzip, .deflate])
    func corrupt(compression: GRPCMessageCompression) throws {
        let packed = try compression.compress(Array("some message that is long enough".utf8))
        for bad in [[UInt8](), [0, 1, 2, 3, 4, 5], Array(packed.dropLast(3)), packed.map { $0 ^ 0x5A }] {
            do {
                _ = try compression.decompress(bad, limit: 1 << 20)
                Issue.record("expected INTERNAL")
            } catch {
                #expect(error.code == .internal)
            }
        }
    }

    @Test("a set Compressed-Flag without an encoding is INTERNAL (compression.md test case 6)")
    func flagWithoutEncoding() {
        let message = GRPCMessageDeframer.Message(compressed: true, bytes: [1, 2, 3])
        do {
            _ = try GRPCMessageCompression.identity.payload(of: message, limit: 100)
            Issue.record("expected INTERNAL")
        } catch {
            #expect(error.code == .internal)
        }
    }

    @Test("an uncompressed message under a compressing encoding passes through, limit still applied")
    func uncompressedUnderGzip() throws {
        let message = GRPCMessageDeframer.Message(compressed: false, bytes: [1, 2, 3])
        #expect(try GRPCMessageCompression.gzip.payload(of: message, limit: 3) == [1, 2, 3])
        #expect(throws: RPCError.self) { try GRPCMessageCompression.gzip.payload(of: message, limit: 2) }
        #expect(throws: RPCError.self) { try GRPCMessageCompression.identity.decompress([1, 2, 3], limit: 2) }
    }
}
