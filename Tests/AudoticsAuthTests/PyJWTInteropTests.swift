import AudoticsAuth
import AudoticsTLS
import AudoticsTestSupport
import Foundation
import Testing

/// Interoperability with PyJWT (Tests/Peers/jwt_peer.py, run by the test venv's Python).
@Suite("PyJWT interoperability")
struct PyJWTInteropTests {
    let fixtures: TokenFixtures
    let folder: TemporaryFolder
    var issuer: String { TokenFixtures.settings.issuer }
    var audience: String { TokenFixtures.settings.audience }

    init() throws {
        fixtures = try TokenFixtures()
        folder = try TemporaryFolder()
        try fixtures.keys.jwks.json().write(toFile: folder.path + "/jwks.json", atomically: true, encoding: .utf8)
        try fixtures.key.verificationKey.publicKeyPEM().write(toFile: folder.path + "/public.pem", atomically: true, encoding: .utf8)
        try fixtures.key.privateKey.pemRepresentation().write(toFile: folder.path + "/private.pem", atomically: true, encoding: .utf8)
    }

    func peer(_ arguments: String...) throws -> PythonPeer.Output {
        try PythonPeer.run(["jwt_peer.py"] + arguments)
    }

    @Test("PyJWT verifies our token with the key from our JWKS document and with our public PEM")
    func pyJWTVerifiesOurs() throws {
        let issued = try fixtures.issuer.issue(subject: "user-42", scopes: ["profile"])
        for output in [
            try peer("verify", folder.path + "/jwks.json", issuer, audience, issued.token),
            try peer("verify-pem", folder.path + "/public.pem", issuer, audience, issued.token),
        ] {
            #expect(output.status == 0, "\(output.text)")
            let json = try #require(output.text.split(separator: "\n").first { $0.hasPrefix("OK ") }?.dropFirst(3))
            let claims = try JSONDecoder().decode(AccessTokenClaims.self, from: Data(json.utf8))
            #expect(claims == issued.claims)
        }
    }

    @Test("PyJWT refuses our token for another audience and after tampering (the peer really checks)")
    func pyJWTRejects() throws {
        let token = try fixtures.issuer.issue(subject: "user-42").token
        let wrongAudience = try peer("verify", folder.path + "/jwks.json", issuer, "analytics", token)
        #expect(wrongAudience.status == 1)
        #expect(wrongAudience.text.contains("InvalidAudienceError"), "\(wrongAudience.text)")
        let parts = token.split(separator: ".").map(String.init)
        let forged = parts[0] + "." + Base64URL.encode(Array(fixtures.payload(["sub": #""admin""#]).utf8)) + "." + parts[2]
        let tampered = try peer("verify-pem", folder.path + "/public.pem", issuer, audience, forged)
        #expect(tampered.status == 1)
        #expect(tampered.text.contains("InvalidSignatureError"), "\(tampered.text)")
    }

    @Test("a token PyJWT signs with our private key verifies here, scopes included")
    func weVerifyPyJWTs() throws {
        let output = try peer("sign", folder.path + "/private.pem", fixtures.key.keyID, issuer, audience, "user-9")
        #expect(output.status == 0, "\(output.text)")
        let token = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let claims = try fixtures.verifier.verify(token)
        #expect(claims.subject == "user-9")
        #expect(claims.scopes == ["playlists:write", "profile"])
        #expect(claims.expiresAt - claims.issuedAt == 900)
    }

    @Test("PyJWT-made HS256 (public key as secret), hand-made HS256 (public PEM as secret) and alg none are refused")
    func algorithmConfusion() throws {
        let x = Base64URL.encode(fixtures.key.verificationKey.publicKey.rawRepresentation)
        let kid = fixtures.key.keyID
        let outputs = [
            try peer("sign-hs256", x, kid, issuer, audience, "user-9"),
            try peer("sign-hs256-pem", folder.path + "/public.pem", kid, issuer, audience, "user-9"),
            try peer("sign-none", kid, issuer, audience, "user-9"),
        ]
        for output in outputs {
            #expect(output.status == 0, "\(output.text)")
            let token = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(token.split(separator: ".", omittingEmptySubsequences: false).count == 3)
            let error = #expect(throws: AuthError.self) { try fixtures.verifier.verify(token) }
            #expect(error?.code == .unsupportedAlgorithm)
        }
    }

    @Test("our key IDs equal the RFC 7638 thumbprint Python computes")
    func thumbprint() throws {
        let output = try peer("thumbprint", folder.path + "/public.pem")
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.trimmingCharacters(in: .whitespacesAndNewlines) == fixtures.key.keyID)
    }
}
