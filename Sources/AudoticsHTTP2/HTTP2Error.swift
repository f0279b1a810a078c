/// The one error type of `AudoticsHTTP2`: a failure in HTTP/2 framing or header compression.
///
/// Descriptions never contain header values (they may carry tokens or cookies).
public struct HTTP2Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// An HPACK header block could not be decoded or encoded (RFC 7540 COMPRESSION_ERROR, a connection error).
        case compressionError
        /// A decoded header list is larger than the configured limit (answer with 431 or RST_STREAM, not GOAWAY).
        case headerListTooLarge
        /// An argument is out of range (a table size, a limit).
        case invalidArgument
        /// nghttp2 could not allocate memory.
        case outOfMemory
        /// The peer broke the HTTP/2 protocol (bad preface, bad frame, flow-control violation): a
        /// connection error, answered with GOAWAY and a close.
        case protocolError
        /// The call does not fit the stream's or session's state (an unknown or closed stream, data after the end).
        case invalidState
        /// nghttp2 reported an error this wrapper does not expect.
        case internalError
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation, free of header values.
    public var message: String
    /// The underlying error, if another error caused this one.
    public var cause: (any Error & Sendable)?

    /// Creates an error with a code, a message and an optional cause.
    public init(code: Code, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// `HTTP2Error(<code>): <message>`, plus the cause when there is one.
    public var description: String {
        var text = "HTTP2Error(\(code.rawValue)): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }

    /// Two errors are equal when their code and message are; the cause is not compared.
    public static func == (lhs: HTTP2Error, rhs: HTTP2Error) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    /// Hashes the code and the message, matching `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
