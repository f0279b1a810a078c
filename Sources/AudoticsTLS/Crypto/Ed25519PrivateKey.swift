internal import COpenSSL

/// An Ed25519 signing key (RFC 8032), held by OpenSSL; used to sign access tokens (JWT `EdDSA`).
///
/// `Sendable`: the key is immutable once created (see `EVPKey`). Its description never shows key material.
public struct Ed25519PrivateKey: Sendable {
    let key: EVPKey

    /// Generates a new key from OpenSSL's CSPRNG.
    public init() throws(TLSError) {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
            throw OpenSSLErrorQueue.error(.cryptoFailure, "EVP_PKEY_CTX_new_id failed")
        }
        defer { EVP_PKEY_CTX_free(context) }
        var pointer: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &pointer) == 1, let pointer else {
            throw OpenSSLErrorQueue.error(.cryptoFailure, "Ed25519 key generation failed")
        }
        key = EVPKey(taking: pointer)
    }

    /// Creates the key from its 32-byte seed (RFC 8032's "secret key").
    public init(rawRepresentation seed: [UInt8]) throws(TLSError) {
        guard seed.count == 32 else { throw TLSError(code: .invalidKey, message: "an Ed25519 seed is 32 bytes, not \(seed.count)") }
        guard let pointer = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, seed, 32) else {
            throw OpenSSLErrorQueue.error(.invalidKey, "cannot create an Ed25519 key from the seed")
        }
        key = EVPKey(taking: pointer)
    }

    /// Loads the key from unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, as `openssl genpkey -algorithm ed25519` writes).
    public init(pemRepresentation pem: String) throws(TLSError) {
        let pointer = EVPKey.parsePEM(pem) { bio in PEM_read_bio_PrivateKey(bio, nil, noPasswordCallback, nil) }
        guard let pointer else { throw OpenSSLErrorQueue.error(.invalidKey, "not an unencrypted PEM private key") }
        let key = EVPKey(taking: pointer)
        guard key.isEd25519 else { throw TLSError(code: .invalidKey, message: "the PEM key is not an Ed25519 key") }
        self.key = key
    }

    /// The key as unencrypted PKCS#8 PEM. This is the secret: store it with restrictive permissions.
    public func pemRepresentation() throws(TLSError) -> String {
        try EVPKey.pem { bio in PEM_write_bio_PrivateKey(bio, key.pointer, nil, nil, 0, nil, nil) }
    }

    /// The 32-byte seed. This is the secret.
    public func rawRepresentation() throws(TLSError) -> [UInt8] {
        var length = 32
        var bytes = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_private_key(key.pointer, &bytes, &length) == 1, length == 32 else {
            throw OpenSSLErrorQueue.error(.invalidKey, "cannot export the raw private key")
        }
        return bytes
    }

    /// The matching public key.
    public func publicKey() throws(TLSError) -> Ed25519PublicKey {
        try Ed25519PublicKey(rawRepresentation: key.rawPublicKey())
    }

    /// The 64-byte Ed25519 signature of `message` (pure Ed25519: `EVP_DigestSign` with no digest).
    public func signature(for message: [UInt8]) throws(TLSError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLErrorQueue.error(.cryptoFailure, "EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, nil, nil, key.pointer) == 1 else {
            throw OpenSSLErrorQueue.error(.cryptoFailure, "EVP_DigestSignInit failed")
        }
        var length = 64
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1, length == 64 else {
            throw OpenSSLErrorQueue.error(.cryptoFailure, "Ed25519 signing failed")
        }
        return signature
    }
}

extension Ed25519PrivateKey: CustomStringConvertible {
    /// `Ed25519PrivateKey(<redacted>)`: never the key.
    public var description: String { "Ed25519PrivateKey(<redacted>)" }
}
