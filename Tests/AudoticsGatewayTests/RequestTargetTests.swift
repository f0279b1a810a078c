@testable import AudoticsGateway
import Testing

@Suite("Request targets: path and query")
struct RequestTargetTests {
    @Test("origin-form and absolute-form targets split into path and query")
    func split() {
        #expect(Gateway.split("/v1/tracks/t1?x=1") == ("/v1/tracks/t1", "x=1"))
        #expect(Gateway.split("/v1/tracks/t1") == ("/v1/tracks/t1", nil))
        #expect(Gateway.split("http://example.org/v1/tracks?q") == ("/v1/tracks", "q"))
        #expect(Gateway.split("HTTPS://example.org:8443/a") == ("/a", nil))
        #expect(Gateway.split("http://example.org?q=1") == ("/", "q=1"))
        #expect(Gateway.split("http://example.org") == ("/", nil))
    }

    @Test("a combining mark after a slash does not hide the slash (bytes, not Characters)")
    func combiningMark() {
        // "/" + U+064D is one Character; a Character-based check would miss the slash.
        let target = "/\u{064D}x/y?z"
        #expect(Gateway.split(target) == ("/\u{064D}x/y", "z"))
        #expect(Gateway.split("http://h/\u{064D}x?q") == ("/\u{064D}x", "q"))
        #expect(Gateway.pathForLog(target) == "/\u{064D}x/y")
    }
}
