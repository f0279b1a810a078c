/// One-shot gzip and deflate (zlib format) compression of whole byte arrays.
///
/// Each call sets up and tears down a zlib stream. Code that compresses many messages on one
/// connection can keep a `Compressor` and a `Decompressor` instead and reuse their state.
/// Compression is CPU work proportional to the input: keep large payloads off event-loop threads.
public enum Compression {
    /// Compresses `input` into a complete stream of `format` at `level`.
    public static func compress(
        _ input: [UInt8],
        format: CompressionFormat,
        level: CompressionLevel = .default
    ) throws(CompressionError) -> [UInt8] {
        let compressor = try Compressor(format: format, level: level)
        return try compressor.compress(input)
    }

    /// Decompresses one complete stream of `format`, failing with `outputLimitExceeded` rather than
    /// producing more than `limit` bytes (the guard against decompression bombs).
    public static func decompress(
        _ input: [UInt8],
        format: CompressionFormat,
        limit: Int
    ) throws(CompressionError) -> [UInt8] {
        let decompressor = try Decompressor(format: format)
        return try decompressor.decompress(input, limit: limit)
    }
}
