/// The one error type of `AudoticsTLS`: a failure in OpenSSL's TLS or crypto layers.
///
/// `openSSLErrors` holds OpenSSL's error queue for the failed call (drained, so it cannot leak into
/// a later call on the same thread). Descriptions never contain key material or plaintext.
public struct TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// A key is malformed, of the wrong type, or of the wrong length.
        case invalidKey
        /// An argument is out of range (an ALPN name, a length, a configuration combination).
        case invalidArgument
        /// A certificate or certificate chain could not be loaded.
        case certificateLoadFailed
        /// A private key file could not be loaded, or does not match the certificate.
        case privateKeyLoadFailed
        /// A trust-root (CA) file could not be loaded.
        case trustRootsLoadFailed
        /// OpenSSL's random generator failed.
        case randomSourceFailed
        /// A cryptographic operation (sign, digest, MAC, key generation, context set-up) failed inside OpenSSL.
        case cryptoFailure
        /// The TLS handshake failed: no shared version or cipher, malformed or unexpected records, or the
        /// peer aborted with an alert.
        case handshakeFailed
        /// The peer's certificate did not verify (chain, expiry, host name), or a required one was missing.
        case certificateVerificationFailed
        /// The peers share no ALPN protocol (for example a client that does not offer `h2`).
        case noApplicationProtocol
        /// After the handshake, the peer sent records that do not decrypt or parse, or an alert.
        case protocolFailure
        /// Plaintext was written after `shutdown()`, or the connection is otherwise finished.
        case closed
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation, free of secrets.
    public var message: String
    /// OpenSSL's queued errors for this failure, oldest first, as `ERR_error_string_n` formats them.
    public var openSSLErrors: [String]
    /// The underlying error, if another error caused this one.
    public var cause: (any Error & Sendable)?

    /// Creates an error with a code, a message, OpenSSL's queued errors and an optional cause.
    public init(code: Code, message: String, openSSLErrors: [String] = [], cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.openSSLErrors = openSSLErrors
        self.cause = cause
    }

    /// `TLSError(<code>): <message> [<OpenSSL errors>]`, plus the cause when there is one.
    public var description: String {
        var text = "TLSError(\(code.rawValue)): \(message)"
        if !openSSLErrors.isEmpty { text += " [\(openSSLErrors.joined(separator: "; "))]" }
        if let cause { text += " (cause: \(cause))" }
        return text
    }

    /// Two errors are equal when their code, message and OpenSSL errors are; the cause is not compared.
    public static func == (lhs: TLSError, rhs: TLSError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.openSSLErrors == rhs.openSSLErrors
    }

    /// Hashes the code and the message, matching `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
