internal import CNghttp2

/// Maps nghttp2's negative return codes to `HTTP2Error` in one place.
enum NGHTTP2Status {
    /// The error for nghttp2 code `status` returned by `operation`.
    static func error(_ status: Int, operation: String) -> HTTP2Error {
        let text = String(cString: nghttp2_strerror(Int32(truncatingIfNeeded: status)))
        let message = "\(operation) failed: \(text) (nghttp2 error \(status))"
        switch Int32(truncatingIfNeeded: status) {
        case NGHTTP2_ERR_NOMEM.rawValue:
            return HTTP2Error(code: .outOfMemory, message: message)
        case NGHTTP2_ERR_HEADER_COMP.rawValue:
            return HTTP2Error(code: .compressionError, message: message)
        case NGHTTP2_ERR_INVALID_ARGUMENT.rawValue:
            return HTTP2Error(code: .invalidArgument, message: message)
        case NGHTTP2_ERR_BAD_CLIENT_MAGIC.rawValue, NGHTTP2_ERR_FLOODED.rawValue, NGHTTP2_ERR_PROTO.rawValue,
            NGHTTP2_ERR_FLOW_CONTROL.rawValue, NGHTTP2_ERR_FRAME_SIZE_ERROR.rawValue, NGHTTP2_ERR_CALLBACK_FAILURE.rawValue:
            return HTTP2Error(code: .protocolError, message: message)
        case NGHTTP2_ERR_INVALID_STATE.rawValue, NGHTTP2_ERR_STREAM_CLOSED.rawValue, NGHTTP2_ERR_STREAM_ID_NOT_AVAILABLE.rawValue,
            NGHTTP2_ERR_DATA_EXIST.rawValue, NGHTTP2_ERR_STREAM_SHUT_WR.rawValue:
            return HTTP2Error(code: .invalidState, message: message)
        default:
            return HTTP2Error(code: .internalError, message: message)
        }
    }
}
