import AudoticsRPC
import NIOCore

/// One call's stream as the calling task sees it: write requests, read responses, cancel. Safe to share; every
/// operation hops to the connection's event loop (inline when the task already runs there).
struct ClientCall: Sendable {
    let streamID: Int32
    /// The response messages and the status.
    let responses: ClientResponseQueue
    let handler: NIOLoopBound<ClientConnectionHandler>
    /// The connection's event loop as a task executor: the call's tasks prefer it, so hops are rare.
    let executor: EventLoopTaskExecutor
    /// Frames request messages, compressing them with the call's `grpc-encoding`.
    let framer: GRPCMessageFramer

    private var eventLoop: any EventLoop { executor.eventLoop }

    /// Frames and sends one request message (compressed with the call's encoding unless `compress` is false);
    /// suspends while the server's flow-control window is closed.
    func write(_ message: [UInt8], compress: Bool? = nil) async throws {
        var framed: [UInt8] = []
        framed.reserveCapacity(GRPCMessageDeframer.prefixLength + message.count)
        try framer.append(message, compress: compress ?? true, into: &framed)
        let handler = self.handler
        let streamID = self.streamID
        let sent: EventLoopFuture<Void>
        if eventLoop.inEventLoop {
            sent = handler.value.write(streamID, framed: framed)
        } else {
            sent = eventLoop.flatSubmit { [framed] in handler.value.write(streamID, framed: framed) }
        }
        try await sent.get()
    }

    /// Half-closes the stream after the last request.
    func finishRequests() {
        let handler = self.handler
        let streamID = self.streamID
        if eventLoop.inEventLoop {
            handler.value.finishRequests(streamID)
        } else {
            eventLoop.execute { handler.value.finishRequests(streamID) }
        }
    }

    /// Ends the call with `error` unless it already ended: the reader sees the error at once, and the stream is
    /// reset with CANCEL.
    func cancel(_ error: RPCError) {
        guard responses.finish(error) else { return }
        let handler = self.handler
        let streamID = self.streamID
        // Always a separate event-loop task: cancellation handlers may run anywhere, even inside the handler.
        eventLoop.execute { handler.value.cancel(streamID, error: error) }
    }
}
