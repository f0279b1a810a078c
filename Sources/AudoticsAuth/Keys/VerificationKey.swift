public import AudoticsTLS

/// A public key that verifies access tokens, with the key ID (`kid`) that tokens signed by it carry.
public struct VerificationKey: Sendable, Hashable {
    /// The key ID: by default the RFC 7638 JWK thumbprint of the key (see `thumbprint(of:)`).
    public var keyID: String
    /// The Ed25519 public key.
    public var publicKey: Ed25519PublicKey

    /// Creates a key; `keyID` defaults to the key's RFC 7638 thumbprint.
    public init(publicKey: Ed25519PublicKey, keyID: String? = nil) throws(AuthError) {
        self.publicKey = publicKey
        if let keyID {
            self.keyID = keyID
        } else {
            self.keyID = try Self.thumbprint(of: publicKey)
        }
    }

    /// The RFC 7638 JWK thumbprint of an Ed25519 key (RFC 8037 §2): base64url(SHA-256 of
    /// `{"crv":"Ed25519","kty":"OKP","x":"…"}`), 43 characters. Deterministic, so a key keeps its ID wherever it is loaded.
    public static func thumbprint(of publicKey: Ed25519PublicKey) throws(AuthError) -> String {
        let canonical = #"{"crv":"Ed25519","kty":"OKP","x":""# + Base64URL.encode(publicKey.rawRepresentation) + #""}"#
        do {
            return Base64URL.encode(try SHA256.hash(Array(canonical.utf8)))
        } catch {
            throw AuthError(code: .cryptoFailure, message: "cannot compute a key thumbprint", cause: error)
        }
    }

    /// The key as a JWK (`kty` OKP, `crv` Ed25519, `use` sig, `alg` EdDSA).
    public var jsonWebKey: JSONWebKey {
        JSONWebKey(
            keyType: "OKP", curve: "Ed25519", x: Base64URL.encode(publicKey.rawRepresentation), keyID: keyID, use: "sig",
            algorithm: "EdDSA")
    }
}
