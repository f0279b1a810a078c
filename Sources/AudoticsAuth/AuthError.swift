public import AudoticsRPC

/// The one error type of `AudoticsAuth`. Descriptions never contain tokens, passwords, hashes or key material.
public struct AuthError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// No access token was presented where one is required.
        case missingToken
        /// The token is not a compact JWS: wrong segment count, bad base64url, bad JSON, or claims of the wrong type.
        case malformedToken
        /// The header names an algorithm other than `EdDSA` (including `none` and HMAC algorithms).
        case unsupportedAlgorithm
        /// The header's `kid` names no key in the verification key set.
        case unknownKey
        /// The signature does not verify with the named key.
        case badSignature
        /// `exp` has passed (beyond the clock-skew leeway).
        case expired
        /// `nbf` or `iat` is in the future (beyond the clock-skew leeway).
        case notYetValid
        /// `iss` is not the expected issuer.
        case wrongIssuer
        /// `aud` does not include the expected audience.
        case wrongAudience
        /// A key file, PEM text or JWKS document could not be loaded or written.
        case keyLoadFailed
        /// A password breaks the password policy.
        case weakPassword
        /// An email address is not acceptable.
        case invalidEmail
        /// A cryptographic primitive (signing, hashing, random bytes) failed.
        case cryptoFailure
        /// Too many password hashes are already running or waiting; try again shortly.
        case overloaded
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation, free of secrets; safe to send to the caller.
    public var message: String
    /// The underlying error, kept locally (for logs), never sent to a peer.
    public var cause: (any Error & Sendable)?

    /// Creates an error with a code, a message and an optional cause.
    public init(code: Code, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// Whether this error rejects a presented access token (and so maps to UNAUTHENTICATED).
    public var isTokenRejection: Bool {
        switch code {
        case .missingToken, .malformedToken, .unsupportedAlgorithm, .unknownKey, .badSignature, .expired, .notYetValid,
            .wrongIssuer, .wrongAudience:
            true
        case .keyLoadFailed, .weakPassword, .invalidEmail, .cryptoFailure, .overloaded:
            false
        }
    }

    /// The status a caller sees: UNAUTHENTICATED for token rejections (with a `www-authenticate` trailer as RFC 6750
    /// §3 describes), INVALID_ARGUMENT for a weak password or a bad email, RESOURCE_EXHAUSTED when overloaded, and
    /// INTERNAL (with a generic message) for server-side failures.
    public var rpcError: RPCError {
        if isTokenRejection {
            let challenge = code == .missingToken ? "Bearer" : "Bearer error=\"invalid_token\""
            return RPCError(code: .unauthenticated, message: message, metadata: ["www-authenticate": .string(challenge)], cause: code.rawValue)
        }
        switch code {
        case .weakPassword, .invalidEmail: return RPCError(code: .invalidArgument, message: message)
        case .overloaded: return RPCError(code: .resourceExhausted, message: message)
        default: return RPCError(code: .internal, message: "an internal authentication error occurred", cause: description)
        }
    }

    /// `AuthError(<code>): <message>`, plus the cause when there is one.
    public var description: String {
        var text = "AuthError(\(code.rawValue)): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }

    /// Two errors are equal when their code and message are; the cause is not compared.
    public static func == (lhs: AuthError, rhs: AuthError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    /// Hashes the code and the message, matching `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
