public import AudoticsRPC
public import NIOCore

/// A client transport that can run a unary call from an event loop without a Swift task: the call starts in
/// the caller's turn and its outcome comes back as a callback on the same loop. An edge that answers each HTTP
/// request with one RPC (the gateway) saves a task, its executor hops and its allocations per request.
///
/// When the call cannot start at once on the caller's loop (no ready connection there yet, or it is going
/// away), the transport runs it as a task as `unary` would, and still calls back on the caller's loop.
public protocol EventLoopUnaryTransport: ClientTransport {
    /// Starts a unary call from `eventLoop`, the current thread's loop. `completion` gets the one response
    /// message or the call's `RPCError` (INTERNAL for none or more than one message), on `eventLoop`, exactly
    /// once; it may run before `startUnary` returns (a request that cannot be sent fails at once), and it must
    /// not block.
    func startUnary(
        method: MethodDescriptor, options: CallOptions, request: [UInt8], on eventLoop: any EventLoop,
        completion: @escaping (Result<[UInt8], RPCError>) -> Void
    ) -> UnaryCallHandle
}

/// A unary call started with `EventLoopUnaryTransport.startUnary`, to cancel it.
public struct UnaryCallHandle: Sendable {
    enum Call: Sendable {
        /// Running on a stream of a connection on the caller's loop.
        case stream(ClientConnection, streamID: Int32)
        /// Running as a task (no ready connection on the caller's loop).
        case task(Task<Void, Never>)
        /// Ended before it started.
        case ended
    }

    let call: Call

    /// Cancels the call, from the loop it was started on: unless it already ended, the stream is reset and
    /// the completion gets CANCELLED (soon after, for a call running as a task).
    public func cancel() {
        switch call {
        case .stream(let connection, let streamID):
            connection.cancelUnary(streamID, error: RPCError(code: .cancelled, message: "the call was cancelled"))
        case .task(let task):
            task.cancel()
        case .ended:
            break
        }
    }
}
