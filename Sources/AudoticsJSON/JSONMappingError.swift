/// The error every failure of the proto3 JSON mapping becomes, in either direction.
///
/// Messages name the message type and the field path (`playlist.trackIds[2]`) so a gateway can
/// return them to the caller as a 400. They quote a rejected value only when it was meant to be a
/// number, boolean, enum or well-known-type literal, shortened; never the contents of a `string`
/// or `bytes` field, which may carry passwords or tokens.
public struct JSONMappingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, in a form callers can switch over.
    public enum Code: String, Hashable, Sendable {
        /// The input is not RFC 8259 JSON (bad syntax, invalid UTF-8, duplicate key, trailing data).
        case malformedJSON
        /// An object key names no field of the message (or a path names no field).
        case unknownField
        /// A value has the wrong JSON type or cannot be represented in the field (range, format).
        case invalidValue
        /// Objects and arrays nest deeper than the configured limit.
        case depthLimitExceeded
        /// An `Any` names a type the registry does not know.
        case unknownType
        /// The binary protobuf input is malformed, or holds invalid UTF-8 in a `string` field.
        case malformedProtobuf
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation naming the field path.
    public var message: String
    /// The path of the field concerned (`trackIds[2]`), empty for the message itself.
    public var fieldPath: String
    /// The underlying error, when there is one.
    public var cause: String?

    /// Creates an error.
    public init(code: Code, message: String, fieldPath: String = "", cause: String? = nil) {
        self.code = code
        self.message = message
        self.fieldPath = fieldPath
        self.cause = cause
    }

    /// `JSONMappingError.<code>: <message>`, with the cause when there is one.
    public var description: String {
        var text = "JSONMappingError.\(code.rawValue): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }
}
