import AudoticsCompression
import Testing

@Suite("Compressor and Decompressor reuse")
struct CompressorTests {
    @Test("one compressor and one decompressor handle many independent messages", arguments: CompressionFormat.allCases)
    func reuse(format: CompressionFormat) throws {
        let compressor = try Compressor(format: format, level: .fastest)
        let decompressor = try Decompressor(format: format)
        for seed in 0..<20 as Range<UInt64> {
            let message = TestBytes.random(count: Int(seed) * 997, seed: seed)
            let compressed = try compressor.compress(message)
            // Each message is a complete stream that a fresh one-shot decoder also accepts.
            #expect(try Compression.decompress(compressed, format: format, limit: message.count) == message)
            #expect(try decompressor.decompress(compressed, limit: message.count) == message)
        }
    }

    @Test("a decompressor recovers after a corrupt message")
    func recoversAfterError() throws {
        let decompressor = try Decompressor(format: .deflate)
        #expect(throws: CompressionError.self) { try decompressor.decompress([1, 2, 3, 4], limit: 100) }
        let good = try Compression.compress(Array("fine".utf8), format: .deflate)
        #expect(try decompressor.decompress(good, limit: 100) == Array("fine".utf8))
    }
}
