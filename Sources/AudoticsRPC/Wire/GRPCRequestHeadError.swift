/// Why a server refuses a request's HEADERS, and how to answer: an HTTP status plus a gRPC status.
///
/// The answer is a Trailers-Only response (`responseHeaders(acceptEncodings:)`). `httpStatus` is 200 for
/// failures gRPC reports as a status (an unknown method, an unsupported `grpc-encoding`) and an HTTP error for
/// requests that are not valid gRPC at all (415 for a foreign content-type, as PROTOCOL-HTTP2 asks, so that
/// non-gRPC clients do not mistake the answer for success).
public struct GRPCRequestHeadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The HTTP status of the answer.
    public var httpStatus: Int
    /// The gRPC status and message of the answer.
    public var error: RPCError

    /// Creates an error.
    public init(httpStatus: Int, error: RPCError) {
        self.httpStatus = httpStatus
        self.error = error
    }

    /// Creates an error from its parts.
    init(httpStatus: Int = 200, code: StatusCode, message: String) {
        self.init(httpStatus: httpStatus, error: RPCError(code: code, message: message))
    }

    /// The Trailers-Only answer, listing `acceptEncodings` in `grpc-accept-encoding` (which `doc/compression.md`
    /// requires after refusing a request's encoding).
    public func responseHeaders(
        acceptEncodings: [GRPCMessageCompression] = GRPCMessageCompression.all
    ) -> [(name: String, value: String)] {
        GRPCTrailers(error: error).trailersOnlyHeaders(httpStatus: httpStatus, acceptEncodings: acceptEncodings)
    }

    /// `GRPCRequestHeadError(<HTTP status>, <code>): <message>`.
    public var description: String {
        "GRPCRequestHeadError(\(httpStatus), \(error.code)): \(error.message)"
    }
}
