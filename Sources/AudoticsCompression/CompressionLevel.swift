/// How hard the compressor works: zlib's levels 0 (store only) to 9 (smallest output).
public struct CompressionLevel: Sendable, Hashable, CustomStringConvertible {
    /// The zlib level, 0...9.
    public let value: Int

    /// Level 6, zlib's default balance of speed and size.
    public static let `default` = CompressionLevel(checked: 6)
    /// Level 1, the fastest level that still compresses.
    public static let fastest = CompressionLevel(checked: 1)
    /// Level 9, the smallest output.
    public static let best = CompressionLevel(checked: 9)
    /// Level 0: a valid stream with the bytes stored uncompressed.
    public static let none = CompressionLevel(checked: 0)

    /// Creates a level from 0 through 9; throws `invalidArgument` for anything else.
    public init(_ value: Int) throws(CompressionError) {
        guard (0...9).contains(value) else {
            throw CompressionError(code: .invalidArgument, message: "compression level \(value) is outside 0...9")
        }
        self.value = value
    }

    private init(checked value: Int) {
        self.value = value
    }

    /// The level as a number.
    public var description: String { "\(value)" }
}
