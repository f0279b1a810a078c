import AudoticsRedis

extension RedisReply {
    /// The reply's kind, and the text of a status or an error reply, for error messages: never a value's bytes.
    var summary: String {
        switch self {
        case .status(let text): "status \(text)"
        case .error(let text): "error \(text)"
        case .integer: "an integer"
        case .bulkString(let bytes): "a bulk string of \(bytes.count) bytes"
        case .null: "null"
        case .array(let elements): "an array of \(elements.count) elements"
        }
    }
}
