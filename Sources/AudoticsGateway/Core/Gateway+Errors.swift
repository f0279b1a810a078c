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
        if error.code == .resourceExhausted, error.cause == RPCError.messageTooLargeCause {
            // The gateway refused the service's response (above `maxResponseBytes`): a bad gateway, not a client
            // that should slow down.
            logger.error("a response is above the gateway's limit", metadata: ["error": "\(error.message)"])
            return errorResponse(GatewayError(
                status: 502, code: .internal,
                message: "the service's response is larger than the gateway's limit of \(configuration.maxResponseBytes) bytes"))
        }
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
        if error.code == .unauthenticated {
            // The service's RFC 6750 challenge (e.g. `Bearer error="invalid_token"`) when it sent a sane one.
            let challenge = error.metadata.first("www-authenticate").flatMap { value in
                value.hasPrefix("Bearer") && value.utf8.count <= 256 && value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) ? value : nil
            }
            response.headers.append(("www-authenticate", challenge ?? "Bearer"))
        }
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
