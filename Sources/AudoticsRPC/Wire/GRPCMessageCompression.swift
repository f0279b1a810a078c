internal import AudoticsCompression

/// A per-message compression algorithm named by `grpc-encoding`: identity, gzip or deflate.
///
/// gRPC compresses each message on its own ("Compression contexts are NOT maintained over message boundaries"),
/// so every call here works on one complete message. Decompression is capped at the receive limit, which makes a
/// decompression bomb fail with RESOURCE_EXHAUSTED instead of exhausting memory.
public struct GRPCMessageCompression: Hashable, Sendable, CustomStringConvertible {
    private enum Algorithm: Hashable, Sendable {
        case identity, gzip, deflate
    }

    private let algorithm: Algorithm

    private init(_ algorithm: Algorithm) { self.algorithm = algorithm }

    /// No compression; the `identity` content-coding.
    public static let identity = GRPCMessageCompression(.identity)
    /// gzip (RFC 1952).
    public static let gzip = GRPCMessageCompression(.gzip)
    /// `deflate`, which gRPC (like HTTP) means as the zlib format (RFC 1950).
    public static let deflate = GRPCMessageCompression(.deflate)

    /// Every algorithm this implementation supports, in the order `grpc-accept-encoding` lists them.
    public static let all: [GRPCMessageCompression] = [.identity, .deflate, .gzip]

    /// Looks up an algorithm by its `grpc-encoding` name (case-insensitive); `nil` for an unsupported one.
    public init?(name: some StringProtocol) {
        // The exact lower-case names first: no allocation for what every peer sends.
        switch name {
        case "identity": self = .identity; return
        case "gzip": self = .gzip; return
        case "deflate": self = .deflate; return
        default: break
        }
        switch name.lowercased() {
        case "identity": self = .identity
        case "gzip": self = .gzip
        case "deflate": self = .deflate
        default: return nil
        }
    }

    /// The name used in `grpc-encoding` and `grpc-accept-encoding`.
    public var name: String {
        switch algorithm {
        case .identity: "identity"
        case .gzip: "gzip"
        case .deflate: "deflate"
        }
    }

    /// Whether messages are actually compressed (everything but `identity`).
    public var isCompressing: Bool { algorithm != .identity }

    /// The `grpc-encoding` name.
    public var description: String { name }

    /// What gRPC implementations usually send in `grpc-accept-encoding` (grpc-core and this one).
    private static let commonAcceptEncoding = "identity,deflate,gzip"

    /// The `grpc-accept-encoding` value listing `compressions`, for example `identity,deflate,gzip`.
    public static func acceptEncodingValue(_ compressions: [GRPCMessageCompression]) -> String {
        // Every call sends the same list: no string is built for it.
        compressions == all ? allAcceptEncoding : compressions.map(\.name).joined(separator: ",")
    }

    /// `acceptEncodingValue(all)`, made once.
    private static let allAcceptEncoding = all.map(\.name).joined(separator: ",")

    /// The supported algorithms named in `grpc-accept-encoding` values (comma-separated, possibly repeated
    /// headers), in order, without duplicates; unknown names are skipped.
    public static func parseAcceptEncoding(_ values: [String]) -> [GRPCMessageCompression] {
        if values.count == 1 { return parseAcceptEncoding(values[0]) }
        var result: [GRPCMessageCompression] = []
        for value in values { collect(value, into: &result) }
        return result
    }

    /// `parseAcceptEncoding(_:)` for a single `grpc-accept-encoding` field (the usual case), without an array.
    public static func parseAcceptEncoding(_ value: String) -> [GRPCMessageCompression] {
        if value == commonAcceptEncoding { return all }
        var result: [GRPCMessageCompression] = []
        collect(value, into: &result)
        return result
    }

    /// Adds the supported algorithms `value` names that `result` lacks, in order.
    private static func collect(_ value: String, into result: inout [GRPCMessageCompression]) {
        for token in value.split(separator: ",") {
            let trimmed = token.trimmingASCIIWhitespace()
            if let compression = GRPCMessageCompression(name: trimmed), !result.contains(compression) {
                result.append(compression)
            }
        }
    }

    /// Compresses one message; `identity` returns it unchanged.
    public func compress(_ message: [UInt8]) throws(RPCError) -> [UInt8] {
        guard let format else { return message }
        do {
            return try Compression.compress(message, format: format)
        } catch {
            throw RPCError(code: .internal, message: "cannot \(name)-compress a message", cause: error.description)
        }
    }

    /// Decompresses one message, failing with RESOURCE_EXHAUSTED rather than producing more than `limit` bytes
    /// and with INTERNAL for corrupt input. `identity` returns the message unchanged (still checking the limit).
    public func decompress(_ message: [UInt8], limit: Int) throws(RPCError) -> [UInt8] {
        guard let format else {
            guard message.count <= limit else { throw Self.tooLarge(limit: limit) }
            return message
        }
        do {
            return try Compression.decompress(message, format: format, limit: limit)
        } catch {
            if error.code == .outputLimitExceeded { throw Self.tooLarge(limit: limit, decompressed: true) }
            throw RPCError(code: .internal, message: "cannot \(name)-decompress a message", cause: error.description)
        }
    }

    /// The payload of a received message: decompressed when its Compressed-Flag is set, as is otherwise.
    ///
    /// A set flag under `identity` (no `grpc-encoding`, or `identity`) is INTERNAL, as `doc/compression.md`
    /// requires for "an ill-constructed message with its Compressed-Flag bit set" but no encoding.
    public func payload(of message: GRPCMessageDeframer.Message, limit: Int) throws(RPCError) -> [UInt8] {
        guard message.compressed else {
            guard message.bytes.count <= limit else { throw Self.tooLarge(limit: limit) }
            return message.bytes
        }
        guard isCompressing else {
            throw RPCError(
                code: .internal, message: "a message has the Compressed-Flag set but no grpc-encoding applies"
            )
        }
        return try decompress(message.bytes, limit: limit)
    }

    private var format: CompressionFormat? {
        switch algorithm {
        case .identity: nil
        case .gzip: .gzip
        case .deflate: .deflate
        }
    }

    private static func tooLarge(limit: Int, decompressed: Bool = false) -> RPCError {
        RPCError(
            code: .resourceExhausted,
            message: "\(decompressed ? "decompressed " : "")message larger than the limit of \(limit) bytes",
            cause: RPCError.messageTooLargeCause
        )
    }
}
