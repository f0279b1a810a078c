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
            group.addTask {
                do {
                    try await handler(RPCAsyncSequence(wrapping: requestStream), RPCWriter { responseInput.yield($0) }, context)
                    responseInput.finish()
                } catch let error as RPCError {
                    responseInput.finish(throwing: error)
                } catch is CancellationError {
                    responseInput.finish(throwing: RPCError(code: .cancelled, message: "the call was cancelled"))
                } catch {
                    responseInput.finish(throwing: RPCError(code: .unknown, message: "the handler failed", cause: "\(error)"))
                }
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
