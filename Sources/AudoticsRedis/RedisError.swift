/// The one error type of `AudoticsRedis`: a protocol, limit or connection failure.
///
/// A Redis *error reply* (`-ERR …`) is not a `RedisError`: it is the `RedisReply.error` value.
/// Descriptions never contain command arguments or reply payloads.
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// The bytes received are not valid RESP; the connection must be closed.
        case protocolError
        /// A reply is larger, or nested deeper, than the configured limits allow; the connection must be closed.
        case limitExceeded
        /// A command has no arguments or otherwise cannot be encoded.
        case invalidCommand
        /// hiredis could not allocate memory.
        case outOfMemory
        /// Connecting, sending or receiving failed, or the connection closed with the command in flight.
        case connectionFailed
        /// The command got no reply within its timeout; its connection was closed (later replies would be out of step).
        case timedOut
        /// The client did not try: it is shut down, backing off after failed connects, or its circuit breaker is open.
        case unavailable
        /// The caller's task was cancelled while it waited for the reply.
        case cancelled
        /// The server answered with a reply of a type the operation does not expect, or refused a setup command.
        case unexpectedReply
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

    /// `RedisError(<code>): <message>`, plus the cause when there is one.
    public var description: String {
        var text = "RedisError(\(code.rawValue)): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }

    /// Two errors are equal when their code and message are; the cause is not compared.
    public static func == (lhs: RedisError, rhs: RedisError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    /// Hashes the code and the message, matching `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
