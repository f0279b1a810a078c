import AudoticsRPC
import Testing

@Suite("GRPCStatusMessage")
struct GRPCStatusMessageTests {
    @Test("printable ASCII other than % is left alone")
    func plain() {
        let printable = String(decoding: (0x20...0x7E).filter { $0 != 0x25 }.map { UInt8($0) }, as: UTF8.self)
        #expect(GRPCStatusMessage.encode(printable) == printable)
        #expect(GRPCStatusMessage.encode("") == "")
    }

    @Test("%, control bytes and UTF-8 are encoded as upper-case %XX", arguments: [
        ("100%", "100%25"),
        ("a\nb", "a%0Ab"),
        ("tab\there", "tab%09here"),
        ("\u{7F}", "%7F"),
        ("\u{0}", "%00"),
        ("café", "caf%C3%A9"),
        ("😀", "%F0%9F%98%80"),
        // The interop special_status_message case.
        ("\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n",
         "%09%0Atest with whitespace%0D%0Aand Unicode BMP %E2%98%BA and non-BMP %F0%9F%98%88%09%0A"),
    ])
    func encode(message: String, wire: String) {
        #expect(GRPCStatusMessage.encode(message) == wire)
        #expect(GRPCStatusMessage.decode(wire) == message)
    }

    @Test("decoding accepts lower-case hex")
    func lowerCaseHex() {
        #expect(GRPCStatusMessage.decode("caf%c3%a9 %e2%98%ba") == "café ☺")
    }

    @Test("malformed %-sequences pass through literally", arguments: [
        ("%", "%"), ("%%", "%%"), ("%4", "%4"), ("abc%", "abc%"), ("%G1", "%G1"), ("%1G", "%1G"),
        ("100% sure", "100% sure"), ("%%41", "%A"), ("%2", "%2"), ("a%zzb", "a%zzb"),
    ])
    func malformed(wire: String, decoded: String) {
        #expect(GRPCStatusMessage.decode(wire) == decoded)
    }

    @Test("invalid UTF-8 after decoding becomes U+FFFD instead of failing")
    func invalidUTF8() {
        #expect(GRPCStatusMessage.decode("a%FFb") == "a\u{FFFD}b")
        #expect(GRPCStatusMessage.decode("%C3") == "\u{FFFD}")
    }

    @Test("every byte round-trips, and random strings round-trip")
    func roundTrips() {
        for scalar in (0...0x2FF).compactMap(Unicode.Scalar.init) {
            let text = "x" + String(Character(scalar)) + "y"
            let wire = GRPCStatusMessage.encode(text)
            #expect(wire.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E })
            #expect(GRPCStatusMessage.decode(wire) == text)
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Whatever the bytes, decoding never traps and encoding output is always valid header text.
            let decoded = GRPCStatusMessage.decode(String(decoding: bytes, as: UTF8.self))
            #expect(GRPCStatusMessage.encode(decoded).utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E })
            #expect(GRPCStatusMessage.decode(GRPCStatusMessage.encode(decoded)) == decoded)
        }
    }
}
