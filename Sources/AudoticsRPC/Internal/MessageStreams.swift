internal import AudoticsProtobuf

/// Decoding and cardinality checks shared by the server's router and the client.
enum MessageStreams {
    /// Decodes one message, turning codec failures into the status gRPC prescribes: RESOURCE_EXHAUSTED
    /// above the size limit, INTERNAL for bytes that do not parse. `role` names it in the message
    /// ("request" or "response").
    static func decode<Message: ProtobufMessage>(
        _ bytes: [UInt8], as type: Message.Type, options: DecodingOptions, role: String
    ) throws(RPCError) -> Message {
        do {
            return try Message(serializedBytes: bytes, options: options)
        } catch {
            let code: StatusCode = error.code == .sizeLimitExceeded ? .resourceExhausted : .internal
            throw RPCError(code: code, message: "cannot decode the \(role): \(error.message)")
        }
    }

    /// Reads the one message a stream must hold; `violation` is the status for none or more than one.
    static func single(
        _ stream: RPCAsyncSequence<[UInt8]>, method: MethodDescriptor, role: String, violation: StatusCode
    ) async throws -> [UInt8] {
        var iterator = stream.makeAsyncIterator()
        guard let first = try await iterator.next() else {
            throw RPCError(code: violation, message: "\(method) expects exactly one \(role) message, got none")
        }
        guard try await iterator.next() == nil else {
            throw RPCError(code: violation, message: "\(method) expects exactly one \(role) message, got more")
        }
        return first
    }
}
