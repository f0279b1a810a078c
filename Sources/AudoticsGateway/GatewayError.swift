public import AudoticsRPC

/// The gateway's own failures (routing, body, limits, transcoding): an HTTP status and the gRPC code and
/// message of the JSON `google.rpc.Status` body the client receives.
public struct GatewayError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The HTTP status.
    public var status: Int
    /// The gRPC code in the body.
    public var code: StatusCode
    /// What went wrong, for the client.
    public var message: String
    /// Extra response headers (`Allow` on 405, `Retry-After` on 429).
    public var headers: [String: String]

    /// Creates an error.
    public init(status: Int, code: StatusCode, message: String, headers: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "GatewayError(\(status), \(code)): \(message)" }
}

extension StatusCode {
    /// The HTTP status for this gRPC code at the JSON edge: grpc-gateway's table (`runtime.HTTPStatusFromCode`).
    public var httpStatus: Int {
        switch self {
        case .ok: 200
        case .cancelled: 499
        case .unknown: 500
        case .invalidArgument: 400
        case .deadlineExceeded: 504
        case .notFound: 404
        case .alreadyExists: 409
        case .permissionDenied: 403
        case .resourceExhausted: 429
        case .failedPrecondition: 400
        case .aborted: 409
        case .outOfRange: 400
        case .unimplemented: 501
        case .internal: 500
        case .unavailable: 503
        case .dataLoss: 500
        case .unauthenticated: 401
        default: 500
        }
    }
}
