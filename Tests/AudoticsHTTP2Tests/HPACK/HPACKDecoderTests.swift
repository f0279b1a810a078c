import AudoticsHTTP2
import Testing

@Suite("HPACKDecoder")
struct HPACKDecoderTests {
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = hex.filter { !$0.isWhitespace }.map { $0.hexDigitValue! }
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(digits[$0] << 4 | digits[$0 + 1]) }
    }

    static func headers(_ pairs: [(String, String)]) -> [HPACKHeader] {
        pairs.map { HPACKHeader(name: $0.0, value: $0.1) }
    }

    static let firstRequest = headers([(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")])
    static let secondRequest = firstRequest + headers([("cache-control", "no-cache")])
    static let thirdRequest = headers([
        (":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"),
        ("custom-key", "custom-value"),
    ])

    @Test("RFC 7541 C.3: requests without Huffman coding, sharing one dynamic table")
    func rfc7541C3() throws {
        let decoder = try HPACKDecoder()
        #expect(try decoder.decode(Self.bytes("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")) == Self.firstRequest)
        #expect(decoder.dynamicTableSize == 57)
        #expect(try decoder.decode(Self.bytes("8286 84be 5808 6e6f 2d63 6163 6865")) == Self.secondRequest)
        #expect(decoder.dynamicTableSize == 110)
        #expect(
            try decoder.decode(Self.bytes("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65"))
                == Self.thirdRequest
        )
        #expect(decoder.dynamicTableSize == 164)
    }

    @Test("RFC 7541 C.4: the same requests with Huffman coding")
    func rfc7541C4() throws {
        let decoder = try HPACKDecoder()
        #expect(try decoder.decode(Self.bytes("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff")) == Self.firstRequest)
        #expect(try decoder.decode(Self.bytes("8286 84be 5886 a8eb 1064 9cbf")) == Self.secondRequest)
        #expect(
            try decoder.decode(Self.bytes("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"))
                == Self.thirdRequest
        )
        #expect(decoder.dynamicTableSize == 164)
    }

    @Test("an empty block is an empty header list")
    func emptyBlock() throws {
        #expect(try HPACKDecoder().decode([]) == [])
    }

    @Test("malformed blocks are compression errors", arguments: [
        "80",  // indexed field with index 0
        "ff 7f",  // index far beyond both tables
        "be",  // dynamic table index 62 into an empty table
        "40 0a 63 75 73",  // literal whose name is cut short
        "41 8c f1 e3",  // Huffman value cut short
        "3f e1 ff ff ff 0f",  // table size update above the allowed maximum
    ])
    func malformed(hex: String) throws {
        let decoder = try HPACKDecoder()
        let error = #expect(throws: HTTP2Error.self) { try decoder.decode(Self.bytes(hex)) }
        #expect(error?.code == .compressionError)
    }

    @Test("after a compression error the decoder refuses further blocks")
    func unusableAfterFailure() throws {
        let decoder = try HPACKDecoder()
        #expect(throws: HTTP2Error.self) { try decoder.decode([0x80]) }
        let error = #expect(throws: HTTP2Error.self) { try decoder.decode(Self.bytes("82")) }
        #expect(error?.code == .compressionError)
    }

    @Test("an oversized header list fails without breaking the decoder")
    func headerListLimit() throws {
        let encoder = try HPACKEncoder()
        let decoder = try HPACKDecoder(maximumHeaderListSize: 200)
        let big = [HPACKHeader(name: "x-big", value: String(repeating: "v", count: 300))]
        let error = #expect(throws: HTTP2Error.self) { try decoder.decode(encoder.encode(big)) }
        #expect(error?.code == .headerListTooLarge)
        #expect(error?.description.contains("vvv") == false)
        // The big field entered both dynamic tables, so the next block refers to it by index and must still decode.
        let small = [HPACKHeader(name: "x-small", value: "1")]
        #expect(try decoder.decode(encoder.encode(small)) == small)
        #expect(decoder.dynamicTableSize == encoder.dynamicTableSize)
    }

    @Test("the limit counts 32 bytes of overhead per field")
    func limitCountsOverhead() throws {
        let fields = (0..<10).map { HPACKHeader(name: "k\($0)", value: "v") }  // 10 × (2 + 1 + 32) = 350
        #expect(try HPACKDecoder(maximumHeaderListSize: 350).decode(HPACKEncoder().encode(fields)) == fields)
        let error = #expect(throws: HTTP2Error.self) { try HPACKDecoder(maximumHeaderListSize: 349).decode(HPACKEncoder().encode(fields)) }
        #expect(error?.code == .headerListTooLarge)
    }
}
