internal import CZlib

/// Maps zlib return codes to `CompressionError` in one place.
enum ZlibStatus {
    /// The error for a failed zlib call; zlib's own message (`stream.msg`) describes the input, never echoes it.
    static func error(_ status: Int32, stream: UnsafeMutablePointer<z_stream>?, operation: String) -> CompressionError {
        let detail = stream?.pointee.msg.map { String(cString: $0) }
        let suffix = detail.map { ": \($0)" } ?? ""
        switch status {
        case Z_DATA_ERROR:
            return CompressionError(code: .corruptInput, message: "\(operation) found invalid data\(suffix)")
        case Z_NEED_DICT:
            return CompressionError(code: .corruptInput, message: "\(operation): the stream needs a preset dictionary, which is not supported")
        case Z_MEM_ERROR:
            return CompressionError(code: .outOfMemory, message: "\(operation) ran out of memory")
        case Z_VERSION_ERROR:
            return CompressionError(code: .internalError, message: "\(operation): zlib version mismatch")
        default:
            return CompressionError(code: .internalError, message: "\(operation) failed with zlib status \(status)\(suffix)")
        }
    }
}
