public import AudoticsProtobuf
public import AudoticsRPC
public import AudoticsWellKnownTypes

/// A message packed into `google.protobuf.Any` for a `google.rpc.Status`'s details.
public struct StatusDetail: Sendable {
    /// The packed message.
    public var any: ProtoAny

    /// Packs `message` with the type URL `type.googleapis.com/<full name>`.
    public init<Message: ProtobufMessage>(_ message: Message) {
        any = ProtoAny()
        any.typeURL = "type.googleapis.com/" + Message.protoMessageName
        any.value = message.serializedBytes()
    }
}

extension RPCError {
    /// An error whose trailers carry a `google.rpc.Status` (same code and message) with `details`, in
    /// `grpc-status-details-bin`, for clients that read rich errors (and for the gateway's JSON errors).
    public static func withDetails(code: StatusCode, message: String, details: [StatusDetail]) -> RPCError {
        var status = Status()
        status.code = Int32(code.rawValue)
        status.message = message
        status.details = details.map(\.any)
        var metadata = Metadata()
        metadata.addBinary(status.serializedBytes(), forKey: GRPCTrailers.statusDetailsKey)
        return RPCError(code: code, message: message, metadata: metadata)
    }

    /// RESOURCE_EXHAUSTED with a `google.rpc.RetryInfo` saying when to try again (rate limits).
    public static func retryLater(after delay: Swift.Duration, message: String) -> RPCError {
        var info = RetryInfo()
        let (seconds, attoseconds) = delay.components
        info.retryDelay = .with {
            $0.seconds = seconds
            $0.nanos = Int32(attoseconds / 1_000_000_000)
        }
        return withDetails(code: .resourceExhausted, message: message, details: [StatusDetail(info)])
    }
}
