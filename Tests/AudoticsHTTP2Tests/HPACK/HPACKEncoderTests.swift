import AudoticsHTTP2
import Testing

@Suite("HPACKEncoder")
struct HPACKEncoderTests {
    @Test("encode then decode round trips many headers over several blocks")
    func roundTrip() throws {
        let encoder = try HPACKEncoder()
        let decoder = try HPACKDecoder(maximumHeaderListSize: 1 << 20)
        let many = (0..<500).map { HPACKHeader(name: "x-header-\($0 % 37)", value: "value-\($0)-é") }
        let request = [
            HPACKHeader(name: ":method", value: "POST"), HPACKHeader(name: ":path", value: "/audotics.v1.MusicService/GetTrack"),
            HPACKHeader(name: "content-type", value: "application/grpc"), HPACKHeader(name: "te", value: "trailers"),
            HPACKHeader(name: "grpc-timeout", value: "5S"), HPACKHeader(name: "", value: ""),
        ]
        for block in [request, many, request, many.shuffled(), request] {
            #expect(try decoder.decode(encoder.encode(block)) == block)
        }
        #expect(decoder.dynamicTableSize == encoder.dynamicTableSize)
    }

    @Test("a large header round trips and a repeat is compressed by the dynamic table")
    func largeHeader() throws {
        let encoder = try HPACKEncoder(maximumDynamicTableSize: 64 * 1024)
        let decoder = try HPACKDecoder(maximumDynamicTableSize: 64 * 1024, maximumHeaderListSize: 64 * 1024)
        try encoder.setDynamicTableSize(64 * 1024)  // as if the peer's SETTINGS allowed it
        let large = [HPACKHeader(name: "x-large", value: String(repeating: "0123456789abcdef", count: 1_000))]
        let first = try encoder.encode(large)
        #expect(try decoder.decode(first) == large)
        let second = try encoder.encode(large)
        #expect(second.count < 8)
        #expect(try decoder.decode(second) == large)
    }

    @Test("sensitive headers are never indexed and keep their flag")
    func sensitive() throws {
        let encoder = try HPACKEncoder()
        let decoder = try HPACKDecoder()
        let token = [HPACKHeader(name: "authorization", value: "Bearer secret-token", isSensitive: true)]
        let first = try encoder.encode(token)
        #expect(first.first.map { $0 & 0xF0 } == 0x10)  // literal never indexed (RFC 7541 §6.2.3)
        #expect(encoder.dynamicTableSize == 0)
        #expect(try decoder.decode(first) == token)
        #expect(try encoder.encode(token) == first)
        #expect(token[0].description == "authorization: <redacted>")
    }

    @Test("fields whose values change every message stay out of the table; the fields that repeat keep theirs")
    func unindexable() throws {
        let encoder = try HPACKEncoder()
        let decoder = try HPACKDecoder()
        let stable = HPACKHeader(name: "content-type", value: "application/grpc")
        func block(_ id: Int) -> [HPACKHeader] {
            [stable, HPACKHeader(name: "x-request-id", value: "request-\(id)", isIndexable: !HPACKHeader.changesEveryMessage("x-request-id"))]
        }
        _ = try decoder.decode(try encoder.encode(block(0)))
        let tableAfterFirst = encoder.dynamicTableSize
        #expect(tableAfterFirst == stable.size)  // only the stable field was indexed
        for id in 1...200 {
            let decoded = try decoder.decode(try encoder.encode(block(id)))
            #expect(decoded.map(\.value) == ["application/grpc", "request-\(id)"])
        }
        #expect(encoder.dynamicTableSize == tableAfterFirst)
        #expect(decoder.dynamicTableSize == tableAfterFirst)
        #expect(block(1)[1].description == "x-request-id: request-1")  // not a secret: shown
        for name in ["grpc-timeout", "x-request-id", "traceparent", "date", "ratelimit-remaining", "retry-after"] {
            #expect(HPACKHeader.changesEveryMessage(name), "\(name)")
        }
        for name in ["content-type", "authorization", "user-agent", "grpc-accept-encoding", "x-request-i", "dates"] {
            #expect(!HPACKHeader.changesEveryMessage(name), "\(name)")
        }
    }

    @Test("the RFC 7541 C.4 first request encodes to the RFC's bytes")
    func rfcEncoding() throws {
        let encoder = try HPACKEncoder()
        let block = try encoder.encode(HPACKDecoderTests.firstRequest)
        #expect(block == HPACKDecoderTests.bytes("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"))
    }

    @Test("a smaller table size from the peer is applied")
    func tableSizeChange() throws {
        let encoder = try HPACKEncoder()
        let decoder = try HPACKDecoder()
        _ = try decoder.decode(encoder.encode(HPACKDecoderTests.thirdRequest))
        try encoder.setDynamicTableSize(0)
        let block = try encoder.encode(HPACKDecoderTests.thirdRequest)
        #expect(block.first == 0x20)  // dynamic table size update to 0
        #expect(try decoder.decode(block) == HPACKDecoderTests.thirdRequest)
        #expect(decoder.dynamicTableSize == 0)
        #expect(throws: HTTP2Error.self) { try encoder.setDynamicTableSize(-1) }
    }
}
