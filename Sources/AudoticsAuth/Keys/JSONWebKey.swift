/// One public key as a JSON Web Key (RFC 7517; RFC 8037 for Ed25519), the members a JWKS document carries.
public struct JSONWebKey: Sendable, Hashable, Codable {
    /// `kty`: the key type, `OKP` for Ed25519.
    public var keyType: String
    /// `crv`: the curve, `Ed25519`.
    public var curve: String
    /// `x`: the 32-byte public key, base64url without padding.
    public var x: String
    /// `kid`: the key ID tokens carry.
    public var keyID: String
    /// `use`: `sig`.
    public var use: String?
    /// `alg`: `EdDSA`.
    public var algorithm: String?

    /// Creates a key entry.
    public init(keyType: String, curve: String, x: String, keyID: String, use: String?, algorithm: String?) {
        self.keyType = keyType
        self.curve = curve
        self.x = x
        self.keyID = keyID
        self.use = use
        self.algorithm = algorithm
    }

    private enum CodingKeys: String, CodingKey {
        case keyType = "kty", curve = "crv", x, keyID = "kid", use, algorithm = "alg"
    }
}
