@testable import AudoticsGateway
import Testing
import Synchronization

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

    @Test("a long path is cut at 200 characters in logs")
    func longPathForLog() {
        let long = "/" + String(repeating: "a", count: 250)
        #expect(Gateway.pathForLog(long + "?secret=1") == String(long.prefix(200)) + "…")
        #expect(Gateway.pathForLog("/short?secret=1") == "/short")
    }

    @Test("the client's host for X-Forwarded-For: IPv4 and bracketed IPv6 without the port")
    func hosts() {
        #expect(Gateway.host(of: "127.0.0.1:54321") == "127.0.0.1")
        #expect(Gateway.host(of: "[::1]:443") == "::1")
        #expect(Gateway.host(of: "[2001:db8::7]:8080") == "2001:db8::7")
        #expect(Gateway.host(of: "unknown") == "unknown")
        #expect(Gateway.host(of: "") == nil)
    }

    @Test("durations in the request log: milliseconds with three decimals")
    func milliseconds() {
        #expect(Gateway.milliseconds(.microseconds(4957)) == "4.957")
        #expect(Gateway.milliseconds(.microseconds(5)) == "0.005")
        #expect(Gateway.milliseconds(.zero) == "0.000")
        #expect(Gateway.milliseconds(.milliseconds(1)) == "1.000")
        #expect(Gateway.milliseconds(.seconds(12_345)) == "12345000.000")
        #expect(Gateway.milliseconds(.nanoseconds(999)) == "0.000")
        #expect(Gateway.milliseconds(.seconds(-1)) == "0.000")
        // Longer than a small string (15 bytes): still exact.
        #expect(Gateway.milliseconds(.seconds(1_000_000_000_000)) == "1000000000000000.000")
    }
}

@Suite("Request IDs")
struct RequestIDTests {
    @Test("a usable client ID is kept; otherwise 32 lower-case hex digits, never repeated")
    func requestIDs() {
        #expect(RequestID.make(from: "abc-123") == "abc-123")
        var seen: Set<String> = []
        // More than one 4 KiB refill of the random pool (256 IDs each).
        for header in [nil, "", "has space", String(repeating: "x", count: 129)] + Array(repeating: nil, count: 996) {
            let id = RequestID.make(from: header)
            #expect(id.utf8.count == 32 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }, "\(id)")
            seen.insert(id)
        }
        #expect(seen.count == 1000)
    }

    @Test("the bearer token of an Authorization header: scheme in any case, spaces around, nothing else")
    func bearerToken() {
        func token(_ value: String?) -> String? {
            Gateway.bearerToken(GatewayRequest(method: "GET", target: "/", headers: value.map { [("authorization", $0)] } ?? []))
        }
        #expect(token("Bearer abc.def") == "abc.def")
        #expect(token("bearer abc") == "abc")
        #expect(token("BEARER abc") == "abc")
        #expect(token("  Bearer   abc  ") == "abc")
        #expect(token("Bearer a b") == "a b")
        #expect(token(nil) == nil)
        #expect(token("Basic abc") == nil)
        #expect(token("Bearer") == nil)
        #expect(token("Bearer    ") == nil)
        #expect(token("Bearerx abc") == nil)
        #expect(token("Beare abc") == nil)
        #expect(token("Bearer\tabc") == nil)
        #expect(token("B\u{E9}arer abc") == nil)
        #expect(token("Bearer\u{301} abc") == nil)
    }

    @Test("a token's rate-limit key is its hash, the same when remembered")
    func tokenKey() throws {
        let gateway = try Gateway(services: [], backends: [:])
        let first = gateway.tokenKey("token-1")
        #expect(first == Gateway.tokenHash("token-1"))
        #expect(first.utf8.count == 32)
        #expect(gateway.tokenKey("token-1") == first)
        #expect(gateway.tokenKey("token-2") != first)
        for index in 0..<(Gateway.tokenKeyCacheLimit + 5) { _ = gateway.tokenKey("t\(index)") }
        #expect(gateway.tokenKeys.withLock { $0.count } <= Gateway.tokenKeyCacheLimit)
        #expect(gateway.tokenKey("token-1") == first)
    }
}
