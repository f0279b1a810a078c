internal import CAudoticsShims
internal import CZlib

/// A reusable gzip or deflate (zlib format) decompressor with a hard output limit.
///
/// Each `decompress(_:limit:)` call reads one complete input (for gzip, one or more concatenated
/// members) and refuses to produce more than `limit` bytes, so a small malicious input cannot
/// expand into gigabytes. Not `Sendable`: use one per connection or per thread.
public final class Decompressor {
    /// The format every call reads.
    public let format: CompressionFormat
    /// The zlib stream. zlib keeps a pointer back to it, so it lives at a fixed heap address this object owns.
    private let stream: UnsafeMutablePointer<z_stream>

    /// Creates a decompressor for `format`.
    public init(format: CompressionFormat) throws(CompressionError) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = audotics_inflateInit2(stream, format.windowBits)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ZlibStatus.error(status, stream: nil, operation: "inflateInit2")
        }
        self.format = format
        self.stream = stream
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Decompresses the whole of `input`, throwing `outputLimitExceeded` instead of producing more than
    /// `limit` bytes, `truncatedInput` if the stream is incomplete, and `corruptInput` for anything invalid,
    /// including trailing bytes after a zlib-format stream.
    public func decompress(_ input: [UInt8], limit: Int) throws(CompressionError) -> [UInt8] {
        guard limit >= 0 else {
            throw CompressionError(code: .invalidArgument, message: "the output limit must not be negative")
        }
        guard inflateReset(stream) == Z_OK else {
            throw CompressionError(code: .internalError, message: "inflateReset failed")
        }
        // Never let zlib write more than limit + 1 bytes: producing the extra byte proves the limit is exceeded.
        let capacity = limit < Int.max ? limit + 1 : limit
        var output = [UInt8](repeating: 0, count: min(capacity, max(1024, input.count.multipliedReportingOverflow(by: 4).partialValue)))
        var produced = 0
        var consumed = 0
        while true {
            if produced == output.count {
                guard output.count < capacity else { throw Self.limitExceeded(limit) }
                output.append(contentsOf: repeatElement(0, count: min(capacity - output.count, output.count)))
            }
            let inputChunk = min(input.count - consumed, Int(UInt32.max))
            let outputChunk = min(output.count - produced, Int(UInt32.max))
            let status = input.withUnsafeBufferPointer { inputBuffer in
                output.withUnsafeMutableBufferPointer { outputBuffer in
                    stream.pointee.next_in = inputBuffer.baseAddress.map { UnsafeMutablePointer(mutating: $0 + consumed) }
                    stream.pointee.avail_in = uInt(inputChunk)
                    stream.pointee.next_out = outputBuffer.baseAddress! + produced
                    stream.pointee.avail_out = uInt(outputChunk)
                    let status = inflate(stream, Z_NO_FLUSH)
                    stream.pointee.next_in = nil
                    stream.pointee.next_out = nil
                    return status
                }
            }
            let progress = inputChunk - Int(stream.pointee.avail_in) + outputChunk - Int(stream.pointee.avail_out)
            consumed += inputChunk - Int(stream.pointee.avail_in)
            produced += outputChunk - Int(stream.pointee.avail_out)
            if produced > limit { throw Self.limitExceeded(limit) }
            switch status {
            case Z_STREAM_END:
                if consumed == input.count {
                    output.removeLast(output.count - produced)
                    return output
                }
                // gzip allows concatenated members (RFC 1952 §2.2); a zlib stream must end the input.
                guard format == .gzip else {
                    throw CompressionError(code: .corruptInput, message: "trailing bytes after the end of the deflate stream")
                }
                guard inflateReset(stream) == Z_OK else {
                    throw CompressionError(code: .internalError, message: "inflateReset failed")
                }
            case Z_OK:
                continue
            case Z_BUF_ERROR where consumed == input.count && progress == 0:
                throw CompressionError(code: .truncatedInput, message: "the \(format.rawValue) stream ends before it is complete")
            case Z_BUF_ERROR:
                continue  // the output buffer is full; the top of the loop grows it or hits the limit
            default:
                throw ZlibStatus.error(status, stream: stream, operation: "inflate")
            }
        }
    }

    private static func limitExceeded(_ limit: Int) -> CompressionError {
        CompressionError(code: .outputLimitExceeded, message: "decompressed data exceeds the limit of \(limit) bytes")
    }
}

/// zlib streams are mutable and unsynchronised; share a decompressor by giving each thread its own.
@available(*, unavailable)
extension Decompressor: Sendable {}
