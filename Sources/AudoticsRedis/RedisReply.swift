/// One reply from a Redis server, in RESP2 terms (hiredis 0.14's reader speaks RESP2 only).
public indirect enum RedisReply: Sendable, Hashable {
    /// A simple string such as `OK` or `PONG` (`+…`).
    case status(String)
    /// An error reply such as `ERR unknown command` (`-…`); the command failed, the connection is fine.
    case error(String)
    /// An integer (`:…`).
    case integer(Int64)
    /// A binary-safe bulk string (`$…`).
    case bulkString([UInt8])
    /// The null bulk string or null array (`$-1`, `*-1`), e.g. GET of a missing key.
    case null
    /// An array of replies (`*…`), possibly nested.
    case array([RedisReply])

    /// The bulk string as UTF-8 text (invalid bytes replaced), or nil if this is not a bulk string.
    public var string: String? {
        if case .bulkString(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }
}
