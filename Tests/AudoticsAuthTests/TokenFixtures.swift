import AudoticsAuth
import AudoticsTLS
import Foundation

/// Keys, settings and a forger of arbitrary (possibly invalid) tokens, shared by the token tests.
struct TokenFixtures {
    static let settings = AccessTokenSettings(issuer: "https://auth.audotics.test", audience: "audotics")
    /// A fixed "now": 2025-06-15T15:06:40Z.
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static var nowSeconds: Int64 { Int64(now.timeIntervalSince1970) }

    let key: SigningKey
    let keys: SigningKeySet
    let issuer: AccessTokenIssuer
    let verifier: AccessTokenVerifier

    init() throws {
        key = try SigningKey.generate()
        keys = try SigningKeySet(current: key)
        issuer = AccessTokenIssuer(keys: keys, settings: Self.settings)
        verifier = AccessTokenVerifier(keys: keys.verificationKeys, settings: Self.settings)
    }

    /// Valid claims for user-42 issued at `now`.
    func claims(_ change: (inout AccessTokenClaims) -> Void = { _ in }) -> AccessTokenClaims {
        var claims = AccessTokenClaims(
            subject: "user-42", issuer: Self.settings.issuer, audience: [Self.settings.audience],
            issuedAt: Self.nowSeconds, notBefore: Self.nowSeconds, expiresAt: Self.nowSeconds + 900,
            tokenID: "jti-1", scopes: [])
        change(&claims)
        return claims
    }

    /// A token with the given header and payload JSON texts, signed (over exactly those bytes) by `signer` (default
    /// the fixture key).
    func forge(header: String, payload: String, signer: Ed25519PrivateKey? = nil) throws -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        let signature = try (signer ?? key.privateKey).signature(for: Array(input.utf8))
        return input + "." + Base64URL.encode(signature)
    }

    /// The standard header naming the fixture key.
    var header: String { #"{"alg":"EdDSA","typ":"JWT","kid":"\#(key.keyID)"}"# }

    /// A payload JSON text with every claim valid at `now`; `fields` replace claims' JSON values (`"<absent>"` drops one).
    func payload(_ fields: [String: String] = [:]) -> String {
        var members: [String: String] = [
            "sub": #""user-42""#, "iss": #""\#(Self.settings.issuer)""#, "aud": #""audotics""#,
            "iat": "\(Self.nowSeconds)", "nbf": "\(Self.nowSeconds)", "exp": "\(Self.nowSeconds + 900)", "jti": #""jti-1""#,
        ]
        for (name, value) in fields { members[name] = value }
        let body = members.filter { $0.value != "<absent>" }.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }
        return "{" + body.joined(separator: ",") + "}"
    }
}
