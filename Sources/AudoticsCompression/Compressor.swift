internal import CAudoticsShims
internal import CZlib

/// A reusable gzip or deflate (zlib format) compressor that owns one zlib stream.
///
/// Every `compress(_:)` call produces a complete, independent stream; the zlib state is reset and
/// reused between calls, which saves the allocation a fresh stream costs. Not `Sendable`: use one
/// per connection or per thread.
public final class Compressor {
    /// The format every call produces.
    public let format: CompressionFormat
    /// The level every call compresses at.
    public let level: CompressionLevel
    /// The zlib stream. zlib keeps a pointer back to it, so it lives at a fixed heap address this object owns.
    private let stream: UnsafeMutablePointer<z_stream>

    /// Creates a compressor for `format` at `level`.
    public init(format: CompressionFormat, level: CompressionLevel = .default) throws(CompressionError) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // memLevel 8 is zlib's default: a good speed/memory balance for message-sized inputs.
        let status = audotics_deflateInit2(stream, Int32(level.value), format.windowBits, 8)
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ZlibStatus.error(status, stream: nil, operation: "deflateInit2")
        }
        self.format = format
        self.level = level
        self.stream = stream
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses `input` into one complete stream.
    public func compress(_ input: [UInt8]) throws(CompressionError) -> [UInt8] {
        guard deflateReset(stream) == Z_OK else {
            throw CompressionError(code: .internalError, message: "deflateReset failed")
        }
        // deflateBound is exact enough that one pass normally suffices; the loop grows the buffer if not.
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(input.count))))
        var produced = 0
        var consumed = 0
        while true {
            if produced == output.count {
                output.append(contentsOf: repeatElement(0, count: max(output.count, 64)))
            }
            let inputChunk = min(input.count - consumed, Int(UInt32.max))
            let outputChunk = min(output.count - produced, Int(UInt32.max))
            let flush = consumed + inputChunk == input.count ? Z_FINISH : Z_NO_FLUSH
            let status = input.withUnsafeBufferPointer { inputBuffer in
                output.withUnsafeMutableBufferPointer { outputBuffer in
                    stream.pointee.next_in = inputBuffer.baseAddress.map { UnsafeMutablePointer(mutating: $0 + consumed) }
                    stream.pointee.avail_in = uInt(inputChunk)
                    stream.pointee.next_out = outputBuffer.baseAddress! + produced
                    stream.pointee.avail_out = uInt(outputChunk)
                    let status = deflate(stream, flush)
                    stream.pointee.next_in = nil
                    stream.pointee.next_out = nil
                    return status
                }
            }
            consumed += inputChunk - Int(stream.pointee.avail_in)
            produced += outputChunk - Int(stream.pointee.avail_out)
            switch status {
            case Z_STREAM_END:
                output.removeLast(output.count - produced)
                return output
            case Z_OK, Z_BUF_ERROR:
                continue  // more input to feed or more output space needed
            default:
                throw ZlibStatus.error(status, stream: stream, operation: "deflate")
            }
        }
    }
}

/// zlib streams are mutable and unsynchronised; share a compressor by giving each thread its own.
@available(*, unavailable)
extension Compressor: Sendable {}
