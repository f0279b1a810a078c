/// gRPC status code names and the HTTP status the JSON edge answers them with (grpc-gateway's table).
public enum GRPCStatusName {
    /// HTTP status by gRPC code name.
    public static let httpStatus: [String: Int] = [
        "CANCELLED": 499, "UNKNOWN": 500, "INVALID_ARGUMENT": 400, "DEADLINE_EXCEEDED": 504, "NOT_FOUND": 404,
        "ALREADY_EXISTS": 409, "PERMISSION_DENIED": 403, "RESOURCE_EXHAUSTED": 429, "FAILED_PRECONDITION": 400,
        "ABORTED": 409, "OUT_OF_RANGE": 400, "UNIMPLEMENTED": 501, "INTERNAL": 500, "UNAVAILABLE": 503,
        "DATA_LOSS": 500, "UNAUTHENTICATED": 401,
    ]
}
