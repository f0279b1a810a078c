import AudoticsCompression
import Testing

@Suite("Compression (one-shot gzip and deflate)")
struct CompressionTests {
    /// Text with a repeated phrase and a non-ASCII character, as compressed below by Python.
    static let pythonInput: [UInt8] = Array("Hello, Audotics! Hello, Audotics! é\n".utf8)

    /// `python3 -c "import gzip; print(list(gzip.compress(b'Hello, Audotics! Hello, Audotics! \xc3\xa9\n', mtime=0)))"`
    static let pythonGzip: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0xd7, 0x51, 0x70,
        0x2c, 0x4d, 0xc9, 0x2f, 0xc9, 0x4c, 0x2e, 0x56, 0x54, 0xf0, 0x40, 0x17, 0x38, 0xbc, 0x92, 0x0b, 0x00, 0x3a,
        0xe4, 0xb2, 0xc5, 0x25, 0x00, 0x00, 0x00,
    ]

    /// `python3 -c "import zlib; print(list(zlib.compress(b'Hello, Audotics! Hello, Audotics! \xc3\xa9\n')))"`
    static let pythonZlib: [UInt8] = [
        0x78, 0x9c, 0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0xd7, 0x51, 0x70, 0x2c, 0x4d, 0xc9, 0x2f, 0xc9, 0x4c, 0x2e, 0x56,
        0x54, 0xf0, 0x40, 0x17, 0x38, 0xbc, 0x92, 0x0b, 0x00, 0xf2, 0x4b, 0x0c, 0xf1,
    ]

    /// `python3 -c "import gzip; print(list(gzip.compress(b'', mtime=0)))"`
    static let pythonEmptyGzip: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00,
    ]

    @Test("round trips empty, small and 1 MiB random inputs", arguments: CompressionFormat.allCases)
    func roundTrips(format: CompressionFormat) throws {
        for input in [[], Self.pythonInput, TestBytes.random(count: 1 << 20, seed: 7)] {
            let compressed = try Compression.compress(input, format: format)
            let restored = try Compression.decompress(compressed, format: format, limit: input.count)
            #expect(restored == input)
        }
    }

    @Test("compresses repetitive data", arguments: CompressionFormat.allCases)
    func compressesRepetitiveData(format: CompressionFormat) throws {
        let input = [UInt8](repeating: 0x61, count: 100_000)
        let compressed = try Compression.compress(input, format: format, level: .best)
        #expect(compressed.count < 1_000)
        #expect(try Compression.decompress(compressed, format: format, limit: 100_000) == input)
    }

    @Test("every level produces a stream that decodes", arguments: 0...9)
    func everyLevel(level: Int) throws {
        let input = TestBytes.random(count: 10_000, seed: UInt64(level))
        let compressed = try Compression.compress(input, format: .gzip, level: CompressionLevel(level))
        #expect(try Compression.decompress(compressed, format: .gzip, limit: 10_000) == input)
    }

    @Test("decodes Python's gzip output")
    func decodesPythonGzip() throws {
        #expect(try Compression.decompress(Self.pythonGzip, format: .gzip, limit: 1_000) == Self.pythonInput)
        #expect(try Compression.decompress(Self.pythonEmptyGzip, format: .gzip, limit: 0) == [])
    }

    @Test("decodes Python's zlib output as deflate")
    func decodesPythonZlib() throws {
        #expect(try Compression.decompress(Self.pythonZlib, format: .deflate, limit: 1_000) == Self.pythonInput)
    }

    @Test("our output has the standard headers")
    func headers() throws {
        let gzip = try Compression.compress(Self.pythonInput, format: .gzip)
        #expect(gzip.prefix(3) == [0x1f, 0x8b, 0x08])
        let zlib = try Compression.compress(Self.pythonInput, format: .deflate)
        #expect(zlib.first == 0x78)
        #expect((UInt16(zlib[0]) << 8 | UInt16(zlib[1])) % 31 == 0)
    }

    @Test("the wrong format is corrupt input")
    func wrongFormat() {
        #expect(TestErrors.code { try Compression.decompress(Self.pythonZlib, format: .gzip, limit: 1_000) } == .corruptInput)
        #expect(TestErrors.code { try Compression.decompress(Self.pythonGzip, format: .deflate, limit: 1_000) } == .corruptInput)
    }

    @Test("a flipped byte fails the checksum")
    func corruptChecksum() {
        var corrupt = Self.pythonGzip
        corrupt[corrupt.count - 6] ^= 0xff
        #expect(TestErrors.code { try Compression.decompress(corrupt, format: .gzip, limit: 1_000) } == .corruptInput)
        var corruptZlib = Self.pythonZlib
        corruptZlib[corruptZlib.count - 1] ^= 0x01
        #expect(TestErrors.code { try Compression.decompress(corruptZlib, format: .deflate, limit: 1_000) } == .corruptInput)
    }

    @Test("garbage is corrupt input", arguments: CompressionFormat.allCases)
    func garbage(format: CompressionFormat) {
        #expect(TestErrors.code { try Compression.decompress(Array("not compressed at all".utf8), format: format, limit: 1_000) } == .corruptInput)
    }

    @Test("truncated and empty inputs are reported as truncated", arguments: CompressionFormat.allCases)
    func truncated(format: CompressionFormat) throws {
        let compressed = try Compression.compress(TestBytes.random(count: 5_000, seed: 3), format: format)
        for cut in [0, 1, compressed.count / 2, compressed.count - 1] {
            #expect(TestErrors.code { try Compression.decompress(Array(compressed.prefix(cut)), format: format, limit: 10_000) } == .truncatedInput)
        }
    }

    @Test("trailing bytes after a zlib stream are rejected")
    func trailingBytes() {
        #expect(TestErrors.code { try Compression.decompress(Self.pythonZlib + [0], format: .deflate, limit: 1_000) } == .corruptInput)
    }

    @Test("concatenated gzip members decode to the concatenation")
    func multiMember() throws {
        let twice = try Compression.decompress(Self.pythonGzip + Self.pythonGzip, format: .gzip, limit: 1_000)
        #expect(twice == Self.pythonInput + Self.pythonInput)
    }

    @Test("the output limit stops a decompression bomb", arguments: CompressionFormat.allCases)
    func bomb(format: CompressionFormat) throws {
        let bomb = try Compression.compress([UInt8](repeating: 0, count: 64 << 20), format: format, level: .best)
        #expect(bomb.count < 100_000)
        let error = #expect(throws: CompressionError.self) {
            try Compression.decompress(bomb, format: format, limit: 4 << 20)
        }
        #expect(error?.code == .outputLimitExceeded)
        #expect(error?.description.contains("4194304") == true)
    }

    @Test("the limit is exact: size equal to the limit passes, one over fails", arguments: CompressionFormat.allCases)
    func exactLimit(format: CompressionFormat) throws {
        let input = TestBytes.random(count: 4_096, seed: 11)
        let compressed = try Compression.compress(input, format: format)
        #expect(try Compression.decompress(compressed, format: format, limit: 4_096) == input)
        #expect(TestErrors.code { try Compression.decompress(compressed, format: format, limit: 4_095) } == .outputLimitExceeded)
        #expect(TestErrors.code { try Compression.decompress(compressed, format: format, limit: 0) } == .outputLimitExceeded)
    }

    @Test("a negative limit is an invalid argument")
    func negativeLimit() {
        #expect(TestErrors.code { try Compression.decompress(Self.pythonGzip, format: .gzip, limit: -1) } == .invalidArgument)
    }
}
