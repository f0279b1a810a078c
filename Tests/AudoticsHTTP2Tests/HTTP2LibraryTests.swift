import AudoticsHTTP2
import Testing

@Suite("HTTP2Library")
struct HTTP2LibraryTests {
    @Test("reports the linked nghttp2 version")
    func version() {
        let parts = HTTP2Library.version.split(separator: ".").compactMap { Int($0) }
        #expect(parts.count == 3)
        #expect(HTTP2Library.versionNumber == parts[0] << 16 | parts[1] << 8 | parts[2])
        #expect(HTTP2Library.versionNumber >= 0x012B00)  // 1.43, the oldest with nghttp2_hd_inflate_hd2 semantics we rely on
    }
}
