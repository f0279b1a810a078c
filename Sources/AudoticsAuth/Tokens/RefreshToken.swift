internal import AudoticsTLS

/// An opaque refresh token: 32 random bytes (256 bits) from OpenSSL's CSPRNG, base64url (43 characters).
///
/// The client keeps `token`; the database keeps only `hash` (SHA-256 of the token's ASCII text), so a leaked table
/// does not yield usable tokens. Random 256-bit tokens need no salt or slow hash. The rotation and family logic lives
/// with UserService. The description never shows the token.
public struct RefreshToken: Sendable, CustomStringConvertible {
    /// The token to hand to the client. A credential: never log it.
    public let token: String
    /// SHA-256 of the token, 32 bytes, for storage and lookup.
    public let hash: [UInt8]

    /// The number of random bytes in a token.
    public static let randomByteCount = 32
    /// The longest token text `hash(of:)` accepts (user.proto: at most 128 characters).
    public static let maximumLength = 128

    /// A new random token.
    public static func generate() throws(AuthError) -> RefreshToken {
        let bytes: [UInt8]
        do { bytes = try SecureRandom.bytes(count: randomByteCount) } catch {
            throw AuthError(code: .cryptoFailure, message: "cannot make a refresh token", cause: error)
        }
        let token = Base64URL.encode(bytes)
        return RefreshToken(token: token, hash: try hash(of: token))
    }

    /// The storage hash of a presented token (look it up by this). Throws `malformedToken` for an empty or over-long
    /// token.
    public static func hash(of token: String) throws(AuthError) -> [UInt8] {
        guard !token.isEmpty, token.utf8.count <= maximumLength else {
            throw AuthError(code: .malformedToken, message: "the refresh token must have 1 to \(maximumLength) characters")
        }
        do { return try SHA256.hash(Array(token.utf8)) } catch {
            throw AuthError(code: .cryptoFailure, message: "cannot hash a refresh token", cause: error)
        }
    }

    /// Whether `hash` is the storage hash of `token`, compared in constant time.
    public static func matches(_ token: String, hash: [UInt8]) -> Bool {
        guard let computed = try? Self.hash(of: token) else { return false }
        return ConstantTime.equals(computed, hash)
    }

    /// `RefreshToken(<redacted>)`.
    public var description: String { "RefreshToken(<redacted>)" }
}
