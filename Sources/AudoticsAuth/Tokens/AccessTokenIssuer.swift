public import FoundationEssentials
internal import AudoticsTLS

/// Signs access tokens: compact JWTs with header `{"alg":"EdDSA","typ":"JWT","kid":…}` and claims `sub`, `iss`, `aud`,
/// `iat`, `nbf`, `exp`, `jti` (and `scope` when given), signed by the key set's current key (pure Ed25519, RFC 8037).
public struct AccessTokenIssuer: Sendable {
    /// The signing keys; the current one signs.
    public let keys: SigningKeySet
    /// Issuer, audience and lifetime.
    public let settings: AccessTokenSettings

    /// Creates an issuer.
    public init(keys: SigningKeySet, settings: AccessTokenSettings) {
        self.keys = keys
        self.settings = settings
    }

    /// Issues a token for user `subject`, valid from `now` (whole seconds) for `settings.lifetime`, with a random
    /// 128-bit `jti`.
    public func issue(subject: String, name: String? = nil, scopes: [String] = [], now: Date = Date()) throws(AuthError) -> IssuedAccessToken {
        let issuedAt = Int64(now.timeIntervalSince1970.rounded(.down))
        let tokenID: String
        do { tokenID = Base64URL.encode(try SecureRandom.bytes(count: 16)) } catch {
            throw AuthError(code: .cryptoFailure, message: "cannot make a token ID", cause: error)
        }
        let claims = AccessTokenClaims(
            subject: subject, issuer: settings.issuer, audience: [settings.audience], issuedAt: issuedAt,
            notBefore: issuedAt, expiresAt: issuedAt + settings.lifetime.components.seconds, tokenID: tokenID,
            scopes: scopes, name: name)
        return IssuedAccessToken(token: try sign(claims), claims: claims, keyID: keys.current.keyID)
    }

    /// Signs arbitrary claims with the current key (for tests and tools; `issue` is the normal way).
    public func sign(_ claims: AccessTokenClaims) throws(AuthError) -> String {
        let header = JOSEHeader(algorithm: JOSEHeader.edDSA, type: "JWT", keyID: keys.current.keyID)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let headerJSON: Data
        let claimsJSON: Data
        do {
            headerJSON = try encoder.encode(header)
            claimsJSON = try encoder.encode(claims)
        } catch {
            throw AuthError(code: .cryptoFailure, message: "cannot encode the token's JSON", cause: error)
        }
        let signingInput = CompactJWS.signingInput(header: Array(headerJSON), payload: Array(claimsJSON))
        do {
            let signature = try keys.current.privateKey.signature(for: Array(signingInput.utf8))
            return signingInput + "." + Base64URL.encode(signature)
        } catch {
            throw AuthError(code: .cryptoFailure, message: "cannot sign the access token", cause: error)
        }
    }
}
