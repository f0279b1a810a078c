import AudoticsAuth
import AudoticsTLS
import AudoticsTestSupport
import Foundation
import Testing

@Suite("signing keys: rotation, files and JWKS")
struct KeyRotationTests {
    @Test("a token signed by a retired key verifies while that key is in the set, and fails once it is removed")
    func rotation() throws {
        let old = try SigningKey.generate()
        let new = try SigningKey.generate()
        let settings = TokenFixtures.settings
        let oldToken = try AccessTokenIssuer(keys: SigningKeySet(current: old), settings: settings).issue(subject: "u").token

        let rotated = try SigningKeySet(current: new, retired: [old.verificationKey])
        let verifier = AccessTokenVerifier(keys: rotated.verificationKeys, settings: settings)
        #expect(try verifier.verify(oldToken).subject == "u")
        let newToken = try AccessTokenIssuer(keys: rotated, settings: settings).issue(subject: "v")
        #expect(newToken.keyID == new.keyID)
        #expect(try verifier.verify(newToken.token).subject == "v")

        verifier.replaceKeys(try SigningKeySet(current: new).verificationKeys)
        let error = #expect(throws: AuthError.self) { try verifier.verify(oldToken) }
        #expect(error?.code == .unknownKey)
        #expect(try verifier.verify(newToken.token).subject == "v")
    }

    @Test("a token remembered as verified still expires, and a tampered copy is checked afresh")
    func verifiedCache() throws {
        let keys = try SigningKeySet(current: SigningKey.generate())
        let settings = TokenFixtures.settings
        let token = try AccessTokenIssuer(keys: keys, settings: settings).issue(subject: "u").token
        let verifier = AccessTokenVerifier(keys: keys.verificationKeys, settings: settings)
        #expect(try verifier.verify(token).subject == "u")
        #expect(try verifier.verify(token).subject == "u")
        let later = Date().addingTimeInterval(16 * 60)
        let expired = #expect(throws: AuthError.self) { try verifier.verify(token, now: later) }
        #expect(expired?.code == .expired)
        var tampered = Array(token)
        tampered[tampered.count - 2] = tampered[tampered.count - 2] == "A" ? "B" : "A"
        #expect(throws: AuthError.self) { try verifier.verify(String(tampered)) }
    }

    @Test("two keys with one key ID are refused")
    func duplicateKeyIDs() throws {
        let key = try SigningKey.generate()
        #expect(throws: AuthError.self) { try SigningKeySet(current: key, retired: [key.verificationKey]) }
    }

    @Test("the JWKS document lists every key, current first, as OKP/Ed25519/sig/EdDSA with base64url x")
    func jwks() throws {
        let old = try SigningKey.generate()
        let new = try SigningKey.generate()
        let set = try SigningKeySet(current: new, retired: [old.verificationKey])
        let json = set.jwks.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [[String: String]]])
        let keys = try #require(object["keys"])
        #expect(keys.count == 2)
        for (entry, key) in zip(keys, [new.verificationKey, old.verificationKey]) {
            #expect(entry == [
                "kty": "OKP", "crv": "Ed25519", "x": Base64URL.encode(key.publicKey.rawRepresentation), "kid": key.keyID,
                "use": "sig", "alg": "EdDSA",
            ])
        }
        #expect(json.hasPrefix(#"{"keys":[{"alg":"EdDSA","crv":"Ed25519","kid":""#))
        // And back: a service that only has the JWKS verifies tokens from the issuer.
        let parsed = try VerificationKeySet(jwks: JSONWebKeySet(json: json))
        #expect(parsed == set.verificationKeys)
        let token = try AccessTokenIssuer(keys: set, settings: TokenFixtures.settings).issue(subject: "u").token
        #expect(try AccessTokenVerifier(keys: parsed, settings: TokenFixtures.settings).verify(token).subject == "u")
    }

    @Test("JWKS entries that are not Ed25519 signature keys are refused")
    func badJWKS() throws {
        let x = Base64URL.encode(try SigningKey.generate().verificationKey.publicKey.rawRepresentation)
        for bad in [
            #"{"keys":[{"kty":"RSA","crv":"Ed25519","x":"\#(x)","kid":"a"}]}"#,
            #"{"keys":[{"kty":"OKP","crv":"X25519","x":"\#(x)","kid":"a"}]}"#,
            #"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"\#(x)","kid":"a","alg":"HS256"}]}"#,
            #"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AAAA","kid":"a"}]}"#,
            #"{"keys":{}}"#, "not json",
        ] {
            #expect(throws: AuthError.self, "\(bad)") { try VerificationKeySet(jwks: JSONWebKeySet(json: bad)) }
        }
    }

    @Test("key IDs are RFC 7638 thumbprints: stable across PEM round trips")
    func thumbprints() throws {
        let key = try SigningKey.generate()
        let reloaded = try SigningKey(pemRepresentation: key.privateKey.pemRepresentation())
        #expect(reloaded.keyID == key.keyID)
        #expect(key.keyID.count == 43)
        #expect(try SigningKey(privateKey: key.privateKey, keyID: "custom").keyID == "custom")
        #expect(throws: AuthError.self) { try SigningKey(pemRepresentation: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") }
    }

    @Test("development keys: created once with mode 0600, reloaded, rotated into retired/ and still verifying")
    func developmentFolder() throws {
        let temporary = try TemporaryFolder()
        let folder = temporary.path + "/keys"
        let first = try SigningKeySet.loadOrCreateDevelopmentKeys(in: folder)
        let again = try SigningKeySet.loadOrCreateDevelopmentKeys(in: folder)
        #expect(again.current.keyID == first.current.keyID)
        #expect(again.retired.isEmpty)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/current.pem")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let token = try AccessTokenIssuer(keys: first, settings: TokenFixtures.settings).issue(subject: "u").token
        let rotated = try SigningKeySet.rotateDevelopmentKeys(in: folder, now: Date(timeIntervalSince1970: 1_000))
        #expect(rotated.current.keyID != first.current.keyID)
        #expect(rotated.retired.map(\.keyID) == [first.current.keyID])
        let verifier = AccessTokenVerifier(keys: rotated.verificationKeys, settings: TokenFixtures.settings)
        #expect(try verifier.verify(token).subject == "u")

        let twice = try SigningKeySet.rotateDevelopmentKeys(in: folder, now: Date(timeIntervalSince1970: 2_000))
        #expect(twice.retired.map(\.keyID) == [rotated.current.keyID, first.current.keyID])  // newest first

        let loaded = try SigningKeySet.load(
            currentKeyFile: folder + "/current.pem",
            retiredKeyFiles: try FileManager.default.contentsOfDirectory(atPath: folder + "/retired").sorted().map { folder + "/retired/" + $0 })
        #expect(loaded.verificationKeys.keys.count == 3)
        #expect(throws: AuthError.self) { try SigningKeySet.load(currentKeyFile: folder + "/missing.pem") }
    }
}
