internal import COpenSSL

/// An Ed25519 verification key (RFC 8032), e.g. one entry of a JWKS document (`"kty":"OKP","crv":"Ed25519"`).
///
/// `Sendable`: the key is immutable once created (see `EVPKey`).
public struct Ed25519PublicKey: Sendable, Hashable {
    let key: EVPKey
    /// The 32-byte encoded public key (the JWK `x` value, before base64url).
    public let rawRepresentation: [UInt8]

    /// Creates the key from its 32 raw bytes.
    public init(rawRepresentation: [UInt8]) throws(TLSError) {
        guard rawRepresentation.count == 32 else {
            throw TLSError(code: .invalidKey, message: "an Ed25519 public key is 32 bytes, not \(rawRepresentation.count)")
        }
        guard let pointer = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, rawRepresentation, 32) else {
            throw OpenSSLErrorQueue.error(.invalidKey, "cannot create an Ed25519 public key")
        }
        self.key = EVPKey(taking: pointer)
        self.rawRepresentation = rawRepresentation
    }

    /// Loads the key from SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`).
    public init(pemRepresentation pem: String) throws(TLSError) {
        let pointer = EVPKey.parsePEM(pem) { bio in PEM_read_bio_PUBKEY(bio, nil, noPasswordCallback, nil) }
        guard let pointer else { throw OpenSSLErrorQueue.error(.invalidKey, "not a PEM public key") }
        let key = EVPKey(taking: pointer)
        guard key.isEd25519 else { throw TLSError(code: .invalidKey, message: "the PEM key is not an Ed25519 key") }
        self.key = key
        self.rawRepresentation = try key.rawPublicKey()
    }

    /// The key as SubjectPublicKeyInfo PEM, the format PyJWT and `openssl pkey -pubin` read.
    public func pemRepresentation() throws(TLSError) -> String {
        try EVPKey.pem { bio in PEM_write_bio_PUBKEY(bio, key.pointer) }
    }

    /// Whether `signature` is a valid Ed25519 signature of `message` by this key. Malformed signatures are simply invalid.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64, let context = EVP_MD_CTX_new() else { return false }
        defer {
            EVP_MD_CTX_free(context)
            OpenSSLErrorQueue.clear()  // a bad signature queues an error; it is an answer, not a failure
        }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key.pointer) == 1 else { return false }
        return EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
    }

    /// Keys are equal when their raw bytes are.
    public static func == (lhs: Ed25519PublicKey, rhs: Ed25519PublicKey) -> Bool {
        lhs.rawRepresentation == rhs.rawRepresentation
    }

    /// Hashes the raw bytes, matching `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawRepresentation)
    }
}
