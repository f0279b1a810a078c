/// The one error type of `AudoticsCompression`: a failed compression or decompression.
///
/// Descriptions name what went wrong and never include the payload.
public struct CompressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// The input is not a valid stream of the expected format (bad header, bad checksum, bad block).
        case corruptInput
        /// The input ended before the compressed stream did.
        case truncatedInput
        /// Decompressing would produce more bytes than the caller's limit allows.
        case outputLimitExceeded
        /// A parameter (level, limit) is out of range.
        case invalidArgument
        /// zlib could not allocate memory.
        case outOfMemory
        /// zlib reported an error this wrapper does not expect (a bug here or in zlib).
        case internalError
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation, free of payload bytes.
    public var message: String
    /// The underlying error, if another error caused this one.
    public var cause: (any Error & Sendable)?

    /// Creates an error with a code, a message and an optional cause.
    public init(code: Code, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// `CompressionError(<code>): <message>`, plus the cause when there is one.
    public var description: String {
        var text = "CompressionError(\(code.rawValue)): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }

    /// Two errors are equal when their code and message are; the cause is not compared.
    public static func == (lhs: CompressionError, rhs: CompressionError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    /// Hashes the code and the message, matching `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
