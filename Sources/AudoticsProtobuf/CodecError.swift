/// The error every protobuf encode or decode failure becomes.
///
/// Descriptions name the message type and, where known, the field, but never include field
/// values: payloads may carry passwords or tokens.
public struct CodecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, in a form callers can switch over.
    public enum Code: String, Hashable, Sendable {
        /// The bytes are not a valid encoding of the message (truncated, bad tag, bad wire type, ...).
        case malformed
        /// The encoded message is larger than the decode limit.
        case sizeLimitExceeded
        /// A `string` field holds bytes that are not valid UTF-8.
        case invalidUTF8
        /// A value cannot be represented (for example a map entry without its key).
        case invalidValue
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation that never contains field values.
    public var message: String
    /// The underlying error, when there is one.
    public var cause: String?

    /// Creates an error.
    public init(code: Code, message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        var text = "CodecError.\(code.rawValue): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }
}
