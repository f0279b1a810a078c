/// The status codes a client synthesises when a response carries no usable `grpc-status`.
///
/// grpc/grpc `doc/http-grpc-status-mapping.md` maps the HTTP status of such a response (an intermediary's
/// error page, say) to a gRPC code; it is for clients only, and only when `grpc-status` is missing.
/// PROTOCOL-HTTP2 ("Errors") maps the error code of an RST_STREAM frame.
public enum GRPCStatusMapping {
    /// The gRPC code for a response with HTTP status `httpStatus` and no `grpc-status`.
    ///
    /// 200 maps to UNKNOWN: a truly successful response would have carried `grpc-status: 0`.
    public static func statusCode(forHTTPStatus httpStatus: Int) -> StatusCode {
        switch httpStatus {
        case 400: .internal
        case 401: .unauthenticated
        case 403: .permissionDenied
        case 404: .unimplemented
        case 429: .unavailable
        case 431: .internal
        case 502, 503, 504: .unavailable
        default: .unknown
        }
    }

    /// The gRPC code for a stream reset by the peer with HTTP/2 error code `errorCode`; `nil` for
    /// STREAM_CLOSED, which has no open stream to report to.
    ///
    /// CANCEL maps to CANCELLED, which is what a client sees when the server resets; a server treats a
    /// client's CANCEL as the call being cancelled.
    public static func statusCode(forHTTP2ErrorCode errorCode: UInt32) -> StatusCode? {
        switch errorCode {
        case 0x5: nil  // STREAM_CLOSED
        case 0x7: .unavailable  // REFUSED_STREAM: nothing was processed, the call may be retried
        case 0x8: .cancelled  // CANCEL
        case 0xB: .resourceExhausted  // ENHANCE_YOUR_CALM
        case 0xC: .permissionDenied  // INADEQUATE_SECURITY
        default: .internal  // NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR, ... and unknown codes
        }
    }
}
