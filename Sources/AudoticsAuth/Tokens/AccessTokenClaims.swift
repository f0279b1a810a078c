/// The claims of an Audotics access token (RFC 7519 registered claims plus an optional OAuth `scope`).
///
/// Times are NumericDate values: whole seconds since 1970-01-01T00:00:00Z.
public struct AccessTokenClaims: Sendable, Hashable, Codable {
    /// `sub`: the user ID.
    public var subject: String
    /// `iss`: who issued the token.
    public var issuer: String
    /// `aud`: the audiences the token is for (one string on the wire when there is one audience).
    public var audience: [String]
    /// `iat`: when the token was issued.
    public var issuedAt: Int64
    /// `nbf`: the token is not valid before this time (absent in tokens from other issuers means "no limit").
    public var notBefore: Int64?
    /// `exp`: when the token expires.
    public var expiresAt: Int64
    /// `jti`: the token's unique ID.
    public var tokenID: String
    /// `scope`: space-separated scopes (RFC 8693 §4.2); empty when the token has none.
    public var scopes: [String]
    /// `name`: the user's display name when the token was issued (OpenID Connect's standard claim), if any.
    public var name: String?

    /// Creates claims.
    public init(
        subject: String, issuer: String, audience: [String], issuedAt: Int64, notBefore: Int64?, expiresAt: Int64,
        tokenID: String, scopes: [String] = [], name: String? = nil
    ) {
        self.subject = subject
        self.issuer = issuer
        self.audience = audience
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.expiresAt = expiresAt
        self.tokenID = tokenID
        self.scopes = scopes
        self.name = name
    }

    private enum CodingKeys: String, CodingKey {
        case subject = "sub", issuer = "iss", audience = "aud", issuedAt = "iat", notBefore = "nbf"
        case expiresAt = "exp", tokenID = "jti", scopes = "scope", name
    }

    /// Decodes strictly: `sub`, `iss`, `jti` strings; `iat`, `exp` (and `nbf` when present) integers; `aud` a string
    /// or an array of strings; `scope` and `name` absent or strings. Wrong types fail; unknown claims are ignored.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        subject = try container.decode(String.self, forKey: .subject)
        issuer = try container.decode(String.self, forKey: .issuer)
        if let single = try? container.decode(String.self, forKey: .audience) {
            audience = [single]
        } else {
            audience = try container.decode([String].self, forKey: .audience)
        }
        issuedAt = try container.decode(Int64.self, forKey: .issuedAt)
        notBefore = try container.decodeIfPresent(Int64.self, forKey: .notBefore)
        expiresAt = try container.decode(Int64.self, forKey: .expiresAt)
        tokenID = try container.decode(String.self, forKey: .tokenID)
        let scope = try container.decodeIfPresent(String.self, forKey: .scopes)
        scopes = scope.map { $0.split(separator: " ").map(String.init) } ?? []
        name = try container.decodeIfPresent(String.self, forKey: .name)
    }

    /// Encodes `aud` as a string when there is one audience, and `scope` only when there are scopes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(subject, forKey: .subject)
        try container.encode(issuer, forKey: .issuer)
        if audience.count == 1 {
            try container.encode(audience[0], forKey: .audience)
        } else {
            try container.encode(audience, forKey: .audience)
        }
        try container.encode(issuedAt, forKey: .issuedAt)
        try container.encodeIfPresent(notBefore, forKey: .notBefore)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(tokenID, forKey: .tokenID)
        if !scopes.isEmpty { try container.encode(scopes.joined(separator: " "), forKey: .scopes) }
        try container.encodeIfPresent(name, forKey: .name)
    }
}
