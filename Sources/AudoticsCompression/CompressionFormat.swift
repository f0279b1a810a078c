/// The container formats this module reads and writes.
public enum CompressionFormat: String, Sendable, Hashable, CaseIterable {
    /// gzip (RFC 1952): what gRPC calls `gzip` and HTTP calls `Content-Encoding: gzip`.
    case gzip
    /// zlib (RFC 1950), a deflate stream with a two-byte header and an Adler-32 trailer:
    /// what gRPC's `deflate` encoding and HTTP's `Content-Encoding: deflate` mean.
    case deflate

    /// zlib's `windowBits` for this format: 15 (a 32 KiB window), plus 16 to ask for the gzip wrapper.
    var windowBits: Int32 {
        switch self {
        case .gzip: 15 + 16
        case .deflate: 15
        }
    }
}
