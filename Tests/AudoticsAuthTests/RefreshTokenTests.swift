import AudoticsAuth
import AudoticsTLS
import Testing

@Suite("refresh tokens")
struct RefreshTokenTests {
    @Test("tokens are 43 base64url characters of 32 random bytes, unique, stored as their SHA-256")
    func generation() throws {
        let first = try RefreshToken.generate()
        let second = try RefreshToken.generate()
        #expect(first.token != second.token)
        #expect(first.token.count == 43)
        #expect(Base64URL.decode(first.token)?.count == 32)
        #expect(first.hash == (try SHA256.hash(Array(first.token.utf8))))
        #expect(try RefreshToken.hash(of: first.token) == first.hash)
        #expect(RefreshToken.matches(first.token, hash: first.hash))
        #expect(!RefreshToken.matches(second.token, hash: first.hash))
        #expect(!"\(first)".contains(first.token))
    }

    @Test("empty and over-long presented tokens are refused before hashing")
    func bounds() {
        #expect(throws: AuthError.self) { try RefreshToken.hash(of: "") }
        #expect(throws: AuthError.self) { try RefreshToken.hash(of: String(repeating: "a", count: 129)) }
        #expect(!RefreshToken.matches("", hash: []))
    }
}
