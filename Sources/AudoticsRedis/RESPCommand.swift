internal import CHiredis

/// A Redis command as an argument vector, encoded to RESP by hiredis's `redisFormatCommandArgv`.
///
/// Arguments are binary safe: each is sent as a length-prefixed bulk string, so no value can break
/// out of its argument (there is no string interpolation into command text).
public struct RESPCommand: Sendable, Hashable {
    /// The command name followed by its arguments, as raw bytes.
    public var arguments: [[UInt8]]

    /// Creates a command from raw byte arguments, the first being the command name.
    public init(_ arguments: [[UInt8]]) {
        self.arguments = arguments
    }

    /// Creates a command from UTF-8 string arguments, e.g. `RESPCommand("SET", "key", "value")`.
    public init(_ arguments: String...) {
        self.arguments = arguments.map { Array($0.utf8) }
    }

    /// Creates a command from an array of UTF-8 strings, e.g. `RESPCommand(strings: ["DEL"] + keys)`.
    public init(strings: [String]) {
        self.arguments = strings.map { Array($0.utf8) }
    }

    /// The command in RESP: `*<n>\r\n` then `$<len>\r\n<bytes>\r\n` for each argument.
    public func encoded() throws(RedisError) -> [UInt8] {
        guard !arguments.isEmpty else { throw RedisError(code: .invalidCommand, message: "a command needs at least a name") }
        guard arguments.count <= Int(Int32.max) else {
            throw RedisError(code: .invalidCommand, message: "too many arguments (\(arguments.count))")
        }
        // hiredis reads argv[i] for argvlen[i] bytes, so the pointers need no NUL terminator and may contain zeros.
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(0) { $0 + $1.count })
        for argument in arguments { storage.append(contentsOf: argument) }
        let lengths = arguments.map(\.count)
        var target: UnsafeMutablePointer<CChar>?
        let length = storage.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!)
            var offset = 0
            var argv: [UnsafePointer<CChar>?] = lengths.map { count in
                defer { offset += count }
                return (base + offset).assumingMemoryBound(to: CChar.self)
            }
            return redisFormatCommandArgv(&target, Int32(arguments.count), &argv, lengths)
        }
        guard length >= 0, let target else { throw RedisError(code: .outOfMemory, message: "redisFormatCommandArgv failed") }
        defer { redisFreeCommand(target) }
        return Array(UnsafeRawBufferPointer(start: target, count: Int(length)))
    }
}
