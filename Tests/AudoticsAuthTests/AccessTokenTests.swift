import AudoticsAuth
import AudoticsTLS
import Foundation
import Testing

@Suite("access tokens: issuing and verifying")
struct AccessTokenTests {
    @Test("an issued token verifies and carries sub, iss, aud, iat, nbf, exp (15 minutes), jti and scopes")
    func roundTrip() throws {
        let fixtures = try TokenFixtures()
        let issued = try fixtures.issuer.issue(subject: "user-42", scopes: ["playlists:write"], now: TokenFixtures.now)
        let claims = try fixtures.verifier.verify(issued.token, now: TokenFixtures.now)
        #expect(claims == issued.claims)
        #expect(claims.subject == "user-42")
        #expect(claims.issuer == TokenFixtures.settings.issuer)
        #expect(claims.audience == ["audotics"])
        #expect(claims.issuedAt == TokenFixtures.nowSeconds)
        #expect(claims.notBefore == TokenFixtures.nowSeconds)
        #expect(claims.expiresAt == TokenFixtures.nowSeconds + 900)
        #expect(issued.expiresIn == 900)
        #expect(claims.scopes == ["playlists:write"])
        #expect(issued.keyID == fixtures.key.keyID)
        #expect(claims.tokenID.count == 22)  // 16 random bytes, base64url
    }

    @Test("the header is exactly alg EdDSA, typ JWT and the key's kid; the signature is 64 bytes")
    func headerShape() throws {
        let fixtures = try TokenFixtures()
        let token = try fixtures.issuer.issue(subject: "u", now: TokenFixtures.now).token
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        #expect(parts.count == 3)
        let header = try #require(Base64URL.decode(parts[0]))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(header)) as? [String: String])
        #expect(object == ["alg": "EdDSA", "typ": "JWT", "kid": fixtures.key.keyID])
        #expect(Base64URL.decode(parts[2])?.count == 64)
    }

    @Test("token IDs are unique and descriptions never show the token")
    func uniqueAndRedacted() throws {
        let fixtures = try TokenFixtures()
        let first = try fixtures.issuer.issue(subject: "u")
        let second = try fixtures.issuer.issue(subject: "u")
        #expect(first.claims.tokenID != second.claims.tokenID)
        #expect(first.token != second.token)
        #expect(!"\(first)".contains(first.token))
        #expect(!"\(first)".contains(first.token.split(separator: ".")[2]))
        #expect(!"\(fixtures.key)".contains("PRIVATE"))
    }

    @Test("aud may be an array that includes our audience; unknown claims are ignored; nbf is optional")
    func lenientWhereTheRFCAllows() throws {
        let fixtures = try TokenFixtures()
        let token = try fixtures.forge(
            header: fixtures.header,
            payload: fixtures.payload(["aud": #"["other","audotics"]"#, "nbf": "<absent>", "role": #""x""#]))
        let claims = try fixtures.verifier.verify(token, now: TokenFixtures.now)
        #expect(claims.audience == ["other", "audotics"])
        #expect(claims.notBefore == nil)
    }

    @Test("the clock-skew leeway is 30 seconds on both sides")
    func leewayBoundaries() throws {
        let fixtures = try TokenFixtures()
        let token = try fixtures.issuer.issue(subject: "u", now: TokenFixtures.now).token
        let exp = TokenFixtures.now.addingTimeInterval(900)
        _ = try fixtures.verifier.verify(token, now: exp.addingTimeInterval(29))
        #expect(throws: AuthError.self) { try fixtures.verifier.verify(token, now: exp.addingTimeInterval(30)) }
        _ = try fixtures.verifier.verify(token, now: TokenFixtures.now.addingTimeInterval(-30))
        #expect(throws: AuthError.self) { try fixtures.verifier.verify(token, now: TokenFixtures.now.addingTimeInterval(-31)) }
    }

    @Test("a verifier with a different issuer or audience setting refuses tokens made for the default one")
    func settingsMatter() throws {
        let fixtures = try TokenFixtures()
        let token = try fixtures.issuer.issue(subject: "u", now: TokenFixtures.now).token
        var settings = TokenFixtures.settings
        settings.audience = "analytics"
        let strict = AccessTokenVerifier(keys: fixtures.keys.verificationKeys, settings: settings)
        #expect(throws: AuthError(code: .wrongAudience, message: "the access token is meant for another audience")) {
            try strict.verify(token, now: TokenFixtures.now)
        }
    }
}
