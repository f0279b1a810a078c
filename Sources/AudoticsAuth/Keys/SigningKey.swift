public import AudoticsTLS

/// The key that signs new access tokens: an Ed25519 private key and its key ID.
///
/// Its description never shows key material.
public struct SigningKey: Sendable, CustomStringConvertible {
    /// The private key. Secret.
    public let privateKey: Ed25519PrivateKey
    /// The public half, with the key ID tokens carry in their `kid` header.
    public let verificationKey: VerificationKey

    /// The key ID (`kid`).
    public var keyID: String { verificationKey.keyID }

    /// Wraps `privateKey`; `keyID` defaults to the RFC 7638 thumbprint of its public key.
    public init(privateKey: Ed25519PrivateKey, keyID: String? = nil) throws(AuthError) {
        self.privateKey = privateKey
        let publicKey: Ed25519PublicKey
        do {
            publicKey = try privateKey.publicKey()
        } catch {
            throw AuthError(code: .cryptoFailure, message: "cannot derive the public key of a signing key", cause: error)
        }
        verificationKey = try VerificationKey(publicKey: publicKey, keyID: keyID)
    }

    /// Loads the key from unencrypted PKCS#8 PEM (as `openssl genpkey -algorithm ed25519` writes).
    public init(pemRepresentation pem: String, keyID: String? = nil) throws(AuthError) {
        let privateKey: Ed25519PrivateKey
        do {
            privateKey = try Ed25519PrivateKey(pemRepresentation: pem)
        } catch {
            throw AuthError(code: .keyLoadFailed, message: "not an unencrypted Ed25519 private key in PEM", cause: error)
        }
        try self.init(privateKey: privateKey, keyID: keyID)
    }

    /// A new key from OpenSSL's CSPRNG.
    public static func generate() throws(AuthError) -> SigningKey {
        do {
            return try SigningKey(privateKey: Ed25519PrivateKey())
        } catch let error as AuthError {
            throw error
        } catch {
            throw AuthError(code: .cryptoFailure, message: "cannot generate an Ed25519 key", cause: error)
        }
    }

    /// `SigningKey(kid: …)`: the key ID only.
    public var description: String { "SigningKey(kid: \(keyID))" }
}
