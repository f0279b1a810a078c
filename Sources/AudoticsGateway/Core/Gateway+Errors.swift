import AudoticsJSON
import AudoticsProtobuf
import AudoticsRPC
import AudoticsWellKnownTypes

extension Gateway {
    /// A JSON `google.rpc.Status` response for the gateway's own errors.
    func errorResponse(_ error: GatewayError) -> GatewayResponse {
        var status = Status()
        status.code = Int32(error.code.rawValue)
        status.message = error.message
        var response = GatewayResponse(status: error.status, headers: [("content-type", "application/json")], body: statusJSON(status))
        for (name, value) in error.headers.sorted(by: { $0.key < $1.key }) { response.headers.append((name, value)) }
        return response
    }

    /// A JSON `google.rpc.Status` response for a failed RPC: the service's rich status (`grpc-status-details-bin`)
    /// when it sent one, with its details (field violations, retry delay …); `Retry-After` from a `RetryInfo`.
    func errorResponse(_ error: RPCError) -> GatewayResponse {
        var status = Status()
        status.code = Int32(error.code.rawValue)
        status.message = error.message
        if let bytes = error.metadata[binaryValues: GRPCTrailers.statusDetailsKey].first,
            let rich = try? Status(serializedBytes: bytes), rich.code == status.code
        {
            status.details = rich.details
        }
        var response = GatewayResponse(status: error.code.httpStatus, headers: [("content-type", "application/json")], body: statusJSON(status))
        if let delay = Self.retryDelay(in: status) { response.headers.append(("retry-after", String(delay))) }
        if error.code == .unauthenticated { response.headers.append(("www-authenticate", "Bearer")) }
        return response
    }

    /// The body: proto3 JSON of `status`. A detail the registry cannot name is dropped rather than failing.
    func statusJSON(_ status: Status) -> [UInt8] {
        if let json = try? ProtoJSON.encode(status.serializedBytes(), descriptor: Status._protobufCDescriptor, registry: registry) {
            return json
        }
        var bare = status
        bare.details = []
        return (try? ProtoJSON.encode(bare.serializedBytes(), descriptor: Status._protobufCDescriptor, registry: registry))
            ?? Array(#"{"code":13,"message":"internal error","details":[]}"#.utf8)
    }

    /// Whole seconds (rounded up, at least 1) of the first `google.rpc.RetryInfo` among the details.
    static func retryDelay(in status: Status) -> Int64? {
        for detail in status.details where detail.typeURL.hasSuffix("/" + RetryInfo.protoMessageName) {
            guard let info = try? RetryInfo(serializedBytes: detail.value), let delay = info.retryDelay else { continue }
            return max(1, delay.seconds + (delay.nanos > 0 ? 1 : 0))
        }
        return nil
    }
}
