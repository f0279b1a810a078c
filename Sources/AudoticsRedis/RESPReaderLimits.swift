/// Bounds on what a `RESPReader` accepts, so a faulty or hostile server cannot exhaust memory.
public struct RESPReaderLimits: Sendable, Hashable {
    /// The most unparsed bytes the reader buffers; this also caps the size of one bulk string.
    public var maximumBufferedBytes: Int
    /// The most elements one array reply may declare.
    public var maximumArrayElements: Int

    /// 64 MiB of buffer (Redis itself allows bulk strings up to 512 MB; our values are far smaller)
    /// and 1,048,576 elements per array.
    public static let `default` = RESPReaderLimits(maximumBufferedBytes: 64 << 20, maximumArrayElements: 1 << 20)

    /// Creates limits.
    public init(maximumBufferedBytes: Int, maximumArrayElements: Int) {
        self.maximumBufferedBytes = maximumBufferedBytes
        self.maximumArrayElements = maximumArrayElements
    }
}
