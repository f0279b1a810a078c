/// The keys of the token issuer (UserService): the current signing key and the retired keys whose tokens may
/// still be valid (keep a retired key at least one token lifetime plus the leeway after rotating it out).
public struct SigningKeySet: Sendable {
    /// The key that signs new tokens.
    public let current: SigningKey
    /// Older public keys, newest first: tokens they signed still verify while they are here.
    public let retired: [VerificationKey]
    /// Every key that verifies: `current` first, then `retired`.
    public let verificationKeys: VerificationKeySet

    /// Creates a set; throws `keyLoadFailed` when two keys share a key ID.
    public init(current: SigningKey, retired: [VerificationKey] = []) throws(AuthError) {
        self.current = current
        self.retired = retired
        verificationKeys = try VerificationKeySet([current.verificationKey] + retired)
    }

    /// The public keys as a JWKS document, current key first.
    public var jwks: JSONWebKeySet { verificationKeys.jwks }
}
