/// The one error type of `AudoticsArgon2`. Descriptions never contain passwords, salts or hashes.
public struct Argon2Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// A cost parameter, salt length or hash length is outside what libargon2 (or this module) accepts.
        case invalidParameters
        /// An encoded hash is not a well-formed PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).
        case malformedEncoding
        /// An encoded hash asks for more memory than the caller allows verification to use.
        case costLimitExceeded
        /// The operating system's random source failed while making a salt.
        case randomSourceFailed
        /// libargon2 could not allocate its working memory.
        case outOfMemory
        /// libargon2 failed for another reason (its error text is in `message`).
        case hashingFailed
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation, free of secrets.
    public var message: String
    /// The underlying error, if another error caused this one.
    public var cause: (any Error & Sendable)?

    /// Creates an error with a code, a message and an optional cause.
    public init(code: Code, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// `Argon2Error(<code>): <message>`, plus the cause when there is one.
    public var description: String {
        var text = "Argon2Error(\(code.rawValue)): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }

    /// Two errors are equal when their code and message are; the cause is not compared.
    public static func == (lhs: Argon2Error, rhs: Argon2Error) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    /// Hashes the code and the message, matching `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
