import AudoticsRPC
import NIOCore

/// The client side of one RPC stream, confined to its connection's event loop: response messages reassembled
/// from DATA frames and queued for the reader, writers waiting for flow control, and the call's deadline.
final class ClientStream {
    /// Where the response is in its life.
    enum Phase {
        /// No response headers yet.
        case awaitingHeaders
        /// Headers received; messages may follow, then trailers.
        case receivingMessages
        /// The call has its status.
        case finished
    }

    let streamID: Int32
    /// Where the response messages and the outcome go: a queue for a reading task, or a unary call's callback.
    let responses: any ClientResponseSink
    /// Where the response metadata goes, if the caller asked for it.
    let metadata: ResponseMetadata?
    private let maxMessageBytes: Int
    private var deframer: GRPCMessageDeframer
    /// The compression of response messages, from the response headers.
    private var compression = GRPCMessageCompression.identity
    private(set) var phase = Phase.awaitingHeaders
    /// Whether this side ended the stream (END_STREAM sent or queued).
    var requestsFinished = false
    /// Writers suspended until the send queue drains below the limit.
    var writeWaiters: [EventLoopPromise<Void>] = []
    /// When the call's deadline passes (the connection's one deadline timer checks it; see `ClientConnectionHandler`).
    var deadline: NIODeadline?
    /// Wire bytes of messages queued for the reader and not yet read.
    var unreadBytes = 0
    /// DATA bytes received but not yet given back to the server's window (held while too much is unread).
    var unacknowledgedBytes = 0

    init(streamID: Int32, responses: any ClientResponseSink, metadata: ResponseMetadata?, maxMessageBytes: Int) {
        self.streamID = streamID
        self.responses = responses
        self.metadata = metadata
        self.maxMessageBytes = maxMessageBytes
        // The deframer's limit applies to the compressed size; the decompressed size is checked separately.
        deframer = GRPCMessageDeframer(maxMessageBytes: maxMessageBytes)
    }

    /// The first HEADERS of the response. Returns the call's outcome if it ended here (Trailers-Only or
    /// invalid headers: `.some(nil)` for OK), `nil` while the call goes on.
    func receiveHeaders(_ fields: [(name: String, value: String)], endStream: Bool) -> RPCError?? {
        if endStream {
            let trailers = GRPCTrailers(parsingTrailersOnly: fields)
            metadata?.trailing = trailers.metadata
            return .some(trailers.result.failureOrNil)
        }
        do {
            guard let head = try GRPCResponseHead.parse(fields) else { return nil }  // 1xx: wait for the real ones
            compression = head.encoding
            metadata?.initial = head.metadata
            phase = .receivingMessages
            return nil
        } catch {
            return .some(error)
        }
    }

    /// The trailers: the call's outcome (`nil` for OK).
    func receiveTrailers(_ fields: [(name: String, value: String)]) -> RPCError? {
        if let failure = finishMessages() { return failure }
        let trailers = GRPCTrailers(parsing: fields)
        metadata?.trailing = trailers.metadata
        return trailers.result.failureOrNil
    }

    /// DATA bytes: complete messages go to the reader. Returns the error that fails the call, if any.
    func receive(_ bytes: [UInt8]) -> RPCError? {
        guard phase == .receivingMessages else {
            return RPCError(code: .internal, message: "the server sent DATA before the response headers")
        }
        deframer.append(contentsOf: bytes)
        return drainMessages()
    }

    /// The server ended the stream with DATA instead of trailers: the status is missing.
    func receiveEndWithoutTrailers() -> RPCError {
        if let failure = finishMessages() { return failure }
        return GRPCTrailers(parsing: []).result.failureOrNil
            ?? RPCError(code: .internal, message: "the response ended without a status")
    }

    /// Marks the call finished; returns false if it already was.
    func markFinished() -> Bool {
        guard phase != .finished else { return false }
        phase = .finished
        return true
    }

    private func finishMessages() -> RPCError? {
        deframer.finish()
        return drainMessages()
    }

    private func drainMessages() -> RPCError? {
        do {
            while let message = try deframer.next() {
                let wireSize = GRPCMessageDeframer.prefixLength + message.bytes.count
                let payload = try compression.payload(of: message, limit: maxMessageBytes)
                if responses.queuesMessages { unreadBytes += wireSize }
                if let failure = responses.push(payload, wireSize: wireSize) { return failure }
            }
            return nil
        } catch {
            return error
        }
    }
}

extension Result where Success == Metadata, Failure == RPCError {
    /// The error of a failed call, `nil` for OK.
    var failureOrNil: RPCError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
