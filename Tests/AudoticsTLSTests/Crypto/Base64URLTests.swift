import AudoticsTLS
import Testing

@Suite("Base64URL")
struct Base64URLTests {
    /// RFC 4648 §10, without padding.
    @Test("RFC 4648 test vectors", arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ])
    func vectors(plain: String, encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test("uses - and _ instead of + and /")
    func urlAlphabet() {
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
        #expect(Base64URL.decode("-_-_") == [0xfb, 0xff, 0xbf])
    }

    @Test("round trips every length up to 100")
    func roundTrip() throws {
        for count in 0...100 {
            let bytes = try SecureRandom.bytes(count: count)
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
    }

    @Test("rejects padding, foreign characters, impossible lengths and non-canonical bits", arguments: [
        "Zg==", "Zm8=", "Z", "Zm9vY", "Zh", "Zm9", "a+b/", "ab cd", "Zm9v\n", "é",
    ])
    func rejects(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}
