/// A client transport that calls a router in the same process, without sockets.
///
/// Messages still go through the protobuf-c codecs, so tests exercise encoding; deadlines and
/// cancellation behave as on the network: a call past its deadline fails with
/// DEADLINE_EXCEEDED and the handler's task is cancelled.
public struct InProcessTransport: ClientTransport {
    /// The router whose handlers serve the calls.
    public let router: RPCRouter

    /// Creates a transport serving calls from `router`.
    public init(router: RPCRouter) {
        self.router = router
    }

    public func call<Result>(
        method: MethodDescriptor,
        options: CallOptions,
        requests: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: (RPCAsyncSequence<[UInt8]>) async throws -> Result
    ) async throws -> Result {
        guard let (_, handler) = router.handler(forPath: method.path) else {
            throw RPCError(code: .unimplemented, message: "method \(method) is not implemented by this server")
        }
        let deadline = options.timeout.map { ContinuousClock.now + $0 }
        let context = ServerContext(method: method, metadata: options.metadata, deadline: deadline, peer: "in-process")
        let (requestStream, requestInput) = AsyncThrowingStream.makeStream(of: [UInt8].self)
        let (responseStream, responseInput) = AsyncThrowingStream.makeStream(of: [UInt8].self)

        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await requests(RPCWriter { requestInput.yield($0) })
                    requestInput.finish()
                } catch {
                    requestInput.finish(throwing: RPCError(code: .cancelled, message: "the client stopped sending: \(error)"))
                }
            }
            let recorder = options.responseMetadata
            let response = context.response
            group.addTask {
                // Response metadata as the network carries it: initial with the first message, trailing with the status.
                let writer = RPCWriter<[UInt8]> { message in
                    recorder?.initial = response.initialMetadata
                    responseInput.yield(message)
                }
                let outcome: RPCError?
                do {
                    try await RPCDeadline.$current.withValue(context.deadline) {
                        try await handler(RPCAsyncSequence(wrapping: requestStream), writer, context)
                    }
                    outcome = nil
                } catch {
                    outcome = RPCError(statusOf: error)
                }
                recorder?.initial = response.initialMetadata
                recorder?.trailing = response.trailingMetadata
                if let outcome { responseInput.finish(throwing: outcome) } else { responseInput.finish() }
            }
            if let deadline {
                group.addTask {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    responseInput.finish(throwing: RPCError(code: .deadlineExceeded, message: "the deadline of \(method) expired"))
                    throw RPCError(code: .deadlineExceeded, message: "the deadline of \(method) expired")
                }
            }
            defer { group.cancelAll() }
            return try await onResponse(RPCAsyncSequence(wrapping: responseStream))
        }
    }
}
