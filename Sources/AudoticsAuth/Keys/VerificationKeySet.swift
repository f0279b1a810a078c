public import AudoticsTLS

/// The public keys a verifier trusts, by key ID, newest first: the current signing key and retired keys whose
/// tokens may still be valid. Every service holds one (from PEM files or the JWKS document).
public struct VerificationKeySet: Sendable, Hashable {
    /// The keys, newest first.
    public let keys: [VerificationKey]
    private let byID: [String: Ed25519PublicKey]

    /// Creates a set; throws `keyLoadFailed` when two keys share a key ID.
    public init(_ keys: [VerificationKey]) throws(AuthError) {
        var byID: [String: Ed25519PublicKey] = [:]
        for key in keys {
            guard byID.updateValue(key.publicKey, forKey: key.keyID) == nil else {
                throw AuthError(code: .keyLoadFailed, message: "two verification keys share the key ID '\(key.keyID)'")
            }
        }
        self.keys = keys
        self.byID = byID
    }

    /// Reads the Ed25519 signature keys of a JWKS document; throws `keyLoadFailed` for an entry that is not an
    /// Ed25519 key (`kty` OKP, `crv` Ed25519, a 32-byte `x`) or whose `alg`/`use`, when present, are not EdDSA/sig.
    public init(jwks: JSONWebKeySet) throws(AuthError) {
        var keys: [VerificationKey] = []
        for entry in jwks.keys {
            guard entry.keyType == "OKP", entry.curve == "Ed25519", entry.algorithm ?? "EdDSA" == "EdDSA",
                entry.use ?? "sig" == "sig", let raw = Base64URL.decode(entry.x), raw.count == 32,
                let publicKey = try? Ed25519PublicKey(rawRepresentation: raw)
            else {
                throw AuthError(code: .keyLoadFailed, message: "JWKS key '\(entry.keyID)' is not an Ed25519 signature key")
            }
            keys.append(try VerificationKey(publicKey: publicKey, keyID: entry.keyID))
        }
        try self.init(keys)
    }

    /// The key with ID `keyID`, if the set has it.
    public func key(forID keyID: String) -> Ed25519PublicKey? {
        byID[keyID]
    }

    /// The set as a JWKS document, newest key first.
    public var jwks: JSONWebKeySet {
        JSONWebKeySet(keys: keys.map(\.jsonWebKey))
    }
}
