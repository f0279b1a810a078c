/// The error every failed RPC becomes: a gRPC status code, a message, and optional metadata.
///
/// Handlers throw it to choose the status their caller sees; clients catch it. Messages must not
/// contain secrets: they travel to the peer in `grpc-message`.
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The gRPC status code (never `ok`).
    public var code: StatusCode
    /// A human-readable explanation sent to the peer.
    public var message: String
    /// Metadata sent with the status (trailers).
    public var metadata: Metadata
    /// A description of the underlying error, kept locally and never sent.
    public var cause: String?

    /// Creates an error.
    public init(code: StatusCode, message: String, metadata: Metadata = [:], cause: String? = nil) {
        self.code = code
        self.message = message
        self.metadata = metadata
        self.cause = cause
    }

    /// The status a call ends with when its handler throws `error`: an `RPCError` as it is, a `CancellationError`
    /// as CANCELLED, anything else as UNKNOWN (its description kept as the cause, never sent).
    public init(statusOf error: any Error) {
        switch error {
        case let error as RPCError: self = error
        case is CancellationError: self.init(code: .cancelled, message: "the call was cancelled")
        default: self.init(code: .unknown, message: "the handler failed", cause: "\(error)")
        }
    }

    /// The `cause` of the errors raised where this side refuses a message above its size limit (not sent).
    public static let messageTooLargeCause = "message-too-large"

    public var description: String {
        var text = "RPCError(\(code)): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }
}
