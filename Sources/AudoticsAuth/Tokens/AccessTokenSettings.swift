/// What issuer and verifier agree on: who issues access tokens, for whom, for how long, and how much clock skew to forgive.
public struct AccessTokenSettings: Sendable, Hashable {
    /// The `iss` claim written and required, e.g. `https://audotics.local` or `audotics-user-service`.
    public var issuer: String
    /// The `aud` value written and required, e.g. `audotics`.
    public var audience: String
    /// How long an issued token is valid (`exp - iat`); 15 minutes by default.
    public var lifetime: Duration
    /// How far `exp`, `nbf` and `iat` may be off when verifying, for clocks that disagree between hosts: 30 seconds
    /// by default. A token is accepted until `exp + leeway` and from `nbf - leeway` (and `iat - leeway`).
    public var clockSkewLeeway: Duration

    /// The default lifetime of an access token: 15 minutes (AuthTokens.expires_in = 900 in user.proto).
    public static let defaultLifetime: Duration = .seconds(15 * 60)
    /// The default clock-skew leeway: 30 seconds.
    public static let defaultClockSkewLeeway: Duration = .seconds(30)

    /// Creates settings.
    public init(
        issuer: String, audience: String, lifetime: Duration = defaultLifetime,
        clockSkewLeeway: Duration = defaultClockSkewLeeway
    ) {
        self.issuer = issuer
        self.audience = audience
        self.lifetime = lifetime
        self.clockSkewLeeway = clockSkewLeeway
    }
}
