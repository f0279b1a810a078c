/// A freshly signed access token and its claims. Its description never shows the token.
public struct IssuedAccessToken: Sendable, CustomStringConvertible {
    /// The compact JWT, to send as `authorization: Bearer <token>`. A credential: never log it.
    public let token: String
    /// The claims inside it.
    public let claims: AccessTokenClaims
    /// The `kid` of the key that signed it.
    public let keyID: String

    /// Seconds until expiry counted from `iat` (AuthTokens.expires_in).
    public var expiresIn: Int64 { claims.expiresAt - claims.issuedAt }

    /// `IssuedAccessToken(jti: …, sub: …, exp: …)`: never the token.
    public var description: String {
        "IssuedAccessToken(jti: \(claims.tokenID), sub: \(claims.subject), exp: \(claims.expiresAt), kid: \(keyID))"
    }
}
