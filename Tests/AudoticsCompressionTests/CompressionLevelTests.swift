import AudoticsCompression
import Testing

@Suite("CompressionLevel")
struct CompressionLevelTests {
    @Test("accepts 0 through 9 and rejects the rest")
    func range() throws {
        #expect(try CompressionLevel(0) == .none)
        #expect(try CompressionLevel(9) == .best)
        for bad in [-1, 10, 100] {
            #expect(TestErrors.code { try CompressionLevel(bad) } == .invalidArgument)
        }
    }
}
