import AudoticsRPC
import NIOCore

/// The server side of one RPC stream: request messages reassembled from DATA frames and handed to
/// the handler task, and the state of the response.
final class ServerStream {
    let streamID: Int32
    /// The request messages, as a streaming handler reads them (`nil` for a unary call).
    let requests: RPCAsyncSequence<[UInt8]>?
    private let input: AsyncThrowingStream<ReceivedMessage, any Error>.Continuation?
    /// A unary call's request message (the first one) and how many arrived (exactly one is valid).
    private(set) var unaryRequest: [UInt8] = []
    private(set) var unaryRequestCount = 0
    /// Whether a unary call's (last) request message arrived compressed.
    private(set) var unaryRequestCompressed = false
    /// Whether this is a unary call served without a request stream.
    var isUnary: Bool { input == nil }
    private var deframer: GRPCMessageDeframer
    /// How the client compresses its messages.
    let requestEncoding: GRPCMessageCompression
    private let maxMessageBytes: Int
    /// Frames response messages, compressed with the encoding the client accepts.
    let framer: GRPCMessageFramer
    /// Response metadata and compression, as the handler sets them.
    let response: ServerResponseOptions
    /// Whether the response headers were sent (then the status goes in trailers).
    var headersSent = false
    /// The handler's task, cancelled when the stream ends early.
    var task: Task<Void, Never>?
    /// When the client's deadline passes, and the method's name for the error (the connection's one deadline
    /// timer checks it; see `ServerConnectionHandler`).
    var deadline: (at: NIODeadline, method: String)?
    /// A unary call's handler and context, waiting for the whole request.
    var pendingUnary: (handler: RPCRouter.UnaryHandler, context: ServerContext)?
    /// Why a unary call's request could not be read, if it could not.
    private(set) var unaryError: RPCError?
    /// The handler's writes waiting for the stream's queued responses to drain (back-pressure).
    var writeWaiters: [EventLoopPromise<Void>] = []

    init(
        streamID: Int32, response: ServerResponseOptions, requestEncoding: GRPCMessageCompression,
        responseEncoding: GRPCMessageCompression, maxMessageBytes: Int, unary: Bool = false
    ) {
        self.streamID = streamID
        self.response = response
        self.requestEncoding = requestEncoding
        self.maxMessageBytes = maxMessageBytes
        self.framer = GRPCMessageFramer(compression: responseEncoding)
        deframer = GRPCMessageDeframer(maxMessageBytes: maxMessageBytes)
        if unary {
            input = nil
            requests = nil
        } else {
            let (stream, input) = AsyncThrowingStream.makeStream(of: ReceivedMessage.self)
            self.input = input
            // As the handler reads each message, `ServerContext.requestMessageCompressed` tells how it arrived.
            requests = RPCAsyncSequence(wrapping: stream).map { [response] message in
                if message.compressed != response.requestMessageCompressed {
                    response.requestMessageCompressed = message.compressed
                }
                return message.bytes
            }
        }
    }

    /// A request message on its way to a streaming handler, with its Compressed-Flag.
    struct ReceivedMessage: Sendable {
        var bytes: [UInt8]
        var compressed: Bool
    }

    /// Hands one decoded request message on.
    private func deliver(_ message: GRPCMessageDeframer.Message) throws(RPCError) {
        let bytes = try requestEncoding.payload(of: message, limit: maxMessageBytes)
        if let input {
            input.yield(ReceivedMessage(bytes: bytes, compressed: message.compressed))
        } else {
            if unaryRequestCount == 0 { unaryRequest = bytes }
            unaryRequestCount += 1
            unaryRequestCompressed = message.compressed
        }
    }

    /// Adds DATA bytes; complete messages go to the handler. Returns the error that fails the call, if any.
    func receive(_ bytes: [UInt8]) -> RPCError? {
        deframer.append(contentsOf: bytes)
        do {
            while let message = try deframer.next() {
                try deliver(message)
            }
            return nil
        } catch {
            input?.finish(throwing: error)
            return error
        }
    }

    /// The client half-closed: no more requests.
    func finishRequests() {
        deframer.finish()
        do {
            while let message = try deframer.next() {
                try deliver(message)
            }
            input?.finish()
        } catch {
            input?.finish(throwing: error)
            unaryError = error
        }
    }

    /// The stream ended early (reset, deadline, connection closed): stop the handler.
    func cancel() {
        let closed = RPCError(code: .cancelled, message: "the stream was closed")
        input?.finish(throwing: closed)
        failWriters(closed)
        task?.cancel()
    }

    /// Fails writes still waiting for the queue to drain: the stream has ended.
    func failWriters(_ error: RPCError) {
        let waiters = writeWaiters
        writeWaiters.removeAll()
        for waiter in waiters { waiter.fail(error) }
    }
}
