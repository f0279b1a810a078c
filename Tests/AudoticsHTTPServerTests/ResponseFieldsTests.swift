@testable import AudoticsHTTPServer
import Testing

@Suite("response fields")
struct ResponseFieldsTests {
    @Test("token bytes are exactly RFC 9110's tchar, for every byte value")
    func tokenBytes() {
        let tchar = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~".utf8))
        for byte in 0...255 {
            #expect(ResponseFields.isTokenByte(UInt8(byte)) == tchar.contains(UInt8(byte)), "byte \(byte)")
        }
    }

    @Test("a field is safe unless its name is not a token or its value holds CR, LF or NUL, wherever they are")
    func safety() {
        #expect(ResponseFields.isSafe(name: "x-request-id", value: "abc"))
        #expect(ResponseFields.isSafe(name: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'"))
        #expect(ResponseFields.isSafe(name: "x-empty", value: ""))
        #expect(!ResponseFields.isSafe(name: "", value: "v"))
        #expect(!ResponseFields.isSafe(name: "bad name", value: "v"))
        #expect(!ResponseFields.isSafe(name: "bad:name", value: "v"))
        #expect(!ResponseFields.isSafe(name: "naïve", value: "v"))
        let long = String(repeating: "a", count: 100)
        for position in [0, 1, 15, 16, 17, 50, 99] {
            for bad in ["\r", "\n", "\0"] {
                var value = Array(long)
                value[position] = Character(bad)
                #expect(!ResponseFields.isSafe(name: "x", value: String(value)), "\(bad.utf8.first!) at \(position)")
            }
        }
        #expect(ResponseFields.isSafe(name: "x", value: long + "\t é"))
    }
}
