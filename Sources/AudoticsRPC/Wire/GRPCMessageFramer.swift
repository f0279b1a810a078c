/// Writes Length-Prefixed-Messages: a Compressed-Flag byte, a 4-byte big-endian length, then the message.
///
/// The output is any `RangeReplaceableCollection` of bytes the caller owns and appends to (`[UInt8]`, or NIO's
/// `ByteBufferView`), so a transport can frame many messages into one buffer and write them in one go.
public struct GRPCMessageFramer: Sendable {
    /// The algorithm messages are compressed with when compression is asked for (the stream's `grpc-encoding`).
    public var compression: GRPCMessageCompression

    /// Creates a framer compressing with `compression` (`identity`: never compress).
    public init(compression: GRPCMessageCompression = .identity) {
        self.compression = compression
    }

    /// Appends `message` as one Length-Prefixed-Message, compressed when `compress` is true and the framer's
    /// algorithm is not `identity` (so a single message can opt out, as `doc/compression.md` allows).
    ///
    /// Fails with INTERNAL if compression fails or the (compressed) message exceeds the 4-byte length field.
    public func append<Output: RangeReplaceableCollection<UInt8>>(
        _ message: [UInt8], compress: Bool = true, into output: inout Output
    ) throws(RPCError) {
        if compress && compression.isCompressing {
            let compressed = try compression.compress(message)
            try Self.append(compressed, compressed: true, into: &output)
        } else {
            try Self.append(message, compressed: false, into: &output)
        }
    }

    /// Appends `message` to a byte array (the transports' case, without generic dispatch across modules).
    public func append(_ message: [UInt8], compress: Bool = true, into output: inout [UInt8]) throws(RPCError) {
        if compress && compression.isCompressing {
            let compressed = try compression.compress(message)
            try Self.appendPrefix(compressed: true, length: compressed.count, into: &output)
            output.append(contentsOf: compressed)
        } else {
            try Self.appendPrefix(compressed: false, length: message.count, into: &output)
            output.append(contentsOf: message)
        }
    }

    /// Appends bytes that are already in their final form, with the given Compressed-Flag.
    public static func append<Output: RangeReplaceableCollection<UInt8>>(
        _ payload: some Collection<UInt8>, compressed: Bool, into output: inout Output
    ) throws(RPCError) {
        try appendPrefix(compressed: compressed, length: payload.count, into: &output)
        output.append(contentsOf: payload)
    }

    /// Appends only the 5-byte prefix to a byte array.
    public static func appendPrefix(compressed: Bool, length: Int, into output: inout [UInt8]) throws(RPCError) {
        guard length >= 0, length <= Int(UInt32.max) else {
            throw RPCError(code: .internal, message: "a message of \(length) bytes does not fit a gRPC length prefix")
        }
        let length = UInt32(length)
        output.append(compressed ? 1 : 0)
        output.append(UInt8(truncatingIfNeeded: length >> 24))
        output.append(UInt8(truncatingIfNeeded: length >> 16))
        output.append(UInt8(truncatingIfNeeded: length >> 8))
        output.append(UInt8(truncatingIfNeeded: length))
    }

    /// Appends only the 5-byte prefix, for a caller that writes the `length` payload bytes itself.
    public static func appendPrefix<Output: RangeReplaceableCollection<UInt8>>(
        compressed: Bool, length: Int, into output: inout Output
    ) throws(RPCError) {
        guard length >= 0, length <= Int(UInt32.max) else {
            throw RPCError(code: .internal, message: "a message of \(length) bytes does not fit a gRPC length prefix")
        }
        let length = UInt32(length)
        output.append(compressed ? 1 : 0)
        output.append(UInt8(truncatingIfNeeded: length >> 24))
        output.append(UInt8(truncatingIfNeeded: length >> 16))
        output.append(UInt8(truncatingIfNeeded: length >> 8))
        output.append(UInt8(truncatingIfNeeded: length))
    }
}
