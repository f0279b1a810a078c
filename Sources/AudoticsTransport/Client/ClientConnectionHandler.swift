import AudoticsHTTP2
import AudoticsRPC
import NIOCore

/// One gRPC client connection: calls open streams on an `HTTP2Session`, request messages go out as DATA frames,
/// and response frames come back as each call's messages and status.
///
/// Everything here runs on the channel's event loop. Writes are coalesced as on the server: sending only queues
/// frames in the session, and one write-and-flush per event-loop tick sends everything that is ready. Writers
/// wait while more than `sendBufferLimit` bytes of their stream are queued (the server's flow-control window is
/// closed), and window updates to the server are held back while more than `unreadLimit` bytes of a stream's
/// responses wait unread: memory stays bounded both ways.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What the channel hears about its connection.
    enum Event: Sendable {
        /// The connection takes no new calls (GOAWAY received, or it ran out of stream IDs).
        case goingAway
        /// The connection closed.
        case closed
    }

    /// Bytes of one stream's requests queued before its writer waits.
    static let sendBufferLimit = 256 * 1024
    /// Wire bytes of one stream's responses read but unread by the caller before the window stops reopening.
    static let unreadLimit = 1 << 20

    private let session: HTTP2Session
    private let eventLoop: any EventLoop
    private let onEvent: @Sendable (Event) -> Void
    private var streams: [Int32: ClientStream] = [:]
    private var streamsWithWriters: Set<Int32> = []
    private var context: ChannelHandlerContext?
    private var flushScheduled = false
    /// Between `channelRead` and `channelReadComplete`: output produced meanwhile (a handler that answered inline)
    /// goes out with the flush at `channelReadComplete`, without a loop task of its own.
    private var inReadBurst = false
    private var output = SessionOutput()
    /// Whether new calls are refused (GOAWAY either way); the connection closes once its calls are done.
    private(set) var isDraining = false
    private var isClosed = false
    private let keepalive: ClientKeepalive?
    private var keepaliveTimer: Scheduled<Void>?
    /// Closes the connection unless the last PING is acknowledged first.
    private var keepaliveDeadline: Scheduled<Void>?
    /// One timer for the deadlines of all the connection's calls, armed at the earliest (or earlier): a timer per
    /// call cost a schedule and a cancellation (heap operations on the loop) for every call, and calls mostly
    /// come with deadlines later than those before them, so it rarely moves.
    private var deadlineTimer: Scheduled<Void>?
    private var deadlineTimerAt: NIODeadline?

    init(
        settings: HTTP2Settings, keepalive: ClientKeepalive? = nil, eventLoop: any EventLoop,
        onEvent: @escaping @Sendable (Event) -> Void
    ) throws {
        session = try HTTP2Session(role: .client, settings: settings)
        self.keepalive = keepalive
        self.eventLoop = eventLoop
        self.onEvent = onEvent
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    /// Drops the context: the handler and its context would otherwise keep each other alive.
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        flush()  // the connection preface and SETTINGS
        armKeepalive()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inReadBurst = true
        let buffer = unwrapInboundIn(data)
        let events: [HTTP2Event]
        do {
            events = try buffer.withUnsafeReadableBytes { try session.receive($0) }
        } catch {
            // A connection error: nghttp2 queued GOAWAY; send it and close.
            flush()
            context.close(promise: nil)
            return
        }
        for event in events { handle(event) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inReadBurst = false
        flush()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { flush() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        keepaliveTimer?.cancel()
        keepaliveDeadline?.cancel()
        deadlineTimer?.cancel()
        deadlineTimer = nil
        isDraining = true
        let lost = RPCError(code: .unavailable, message: "the connection to the server closed")
        for streamID in Array(streams.keys) { complete(streamID, error: lost, reset: false) }
        onEvent(.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: Calls

    /// Opens a stream with request `headers` for a call; its messages go to `responses`.
    ///
    /// - Throws: `ConnectionUnusable` when this connection takes no new calls (the channel picks another).
    func openStream<Sink: ClientResponseSink>(
        headers: [HPACKHeader], deadline: ContinuousClock.Instant?, metadata: ResponseMetadata?,
        maxMessageBytes: Int, makeResponses: (Int32) -> Sink
    ) throws -> (streamID: Int32, responses: Sink) {
        guard !isDraining, context != nil else { throw ConnectionUnusable() }
        let streamID: Int32
        do {
            streamID = try session.sendRequest(headers: headers)
        } catch {
            // Out of stream IDs, or nghttp2 saw GOAWAY: this connection is done for new calls.
            beginDraining()
            throw ConnectionUnusable()
        }
        let responses = makeResponses(streamID)
        let stream = ClientStream(streamID: streamID, responses: responses, metadata: metadata, maxMessageBytes: maxMessageBytes)
        streams[streamID] = stream
        if let deadline {
            let at = NIODeadline.now() + (deadline - ContinuousClock.now).timeAmount
            stream.deadline = at
            armDeadlineTimer(at)
        }
        scheduleFlush()
        return (streamID, responses)
    }

    /// Sends one framed request message; the future completes when the writer may send the next.
    func write(_ streamID: Int32, framed: [UInt8]) -> EventLoopFuture<Void> {
        guard let stream = streams[streamID], !stream.requestsFinished else {
            return eventLoop.makeFailedFuture(RPCError(code: .cancelled, message: "the call has ended"))
        }
        do {
            try session.sendData(streamID: streamID, bytes: framed)
        } catch {
            return eventLoop.makeFailedFuture(RPCError(code: .cancelled, message: "the call has ended"))
        }
        scheduleFlush()
        guard session.bufferedBytes(streamID: streamID) > Self.sendBufferLimit else { return eventLoop.makeSucceededVoidFuture() }
        let promise = eventLoop.makePromise(of: Void.self)
        stream.writeWaiters.append(promise)
        streamsWithWriters.insert(streamID)
        return promise.futureResult
    }

    /// Half-closes the stream: no more requests.
    func finishRequests(_ streamID: Int32) {
        guard let stream = streams[streamID], !stream.requestsFinished else { return }
        stream.requestsFinished = true
        try? session.finish(streamID: streamID)
        scheduleFlush()
    }

    /// The caller read a message of `wireSize` bytes: reopen the window if it was held back.
    func messageRead(_ streamID: Int32, wireSize: Int) {
        guard let stream = streams[streamID] else { return }
        stream.unreadBytes -= wireSize
        if stream.unacknowledgedBytes > 0, stream.unreadBytes < Self.unreadLimit {
            session.consume(streamID: streamID, bytes: stream.unacknowledgedBytes)
            stream.unacknowledgedBytes = 0
            scheduleFlush()
        }
    }

    /// Ends a call early (cancellation, the caller stopped reading): RST_STREAM CANCEL, and `error` for the reader.
    func cancel(_ streamID: Int32, error: RPCError) {
        complete(streamID, error: error, reset: true)
    }

    /// Stops taking calls: GOAWAY to the server, and close once the calls in flight are done.
    func beginDraining(sendGoAway: Bool = false) {
        if sendGoAway, !isClosed {
            try? session.sendGoAway(errorCode: 0)
            scheduleFlush()
        }
        guard !isDraining else { return }
        isDraining = true
        onEvent(.goingAway)
        closeIfDrained()
    }

    /// Closes the connection now; calls in flight fail with UNAVAILABLE.
    func forceClose() {
        context?.close(promise: nil)
    }

    // MARK: Events

    private func handle(_ event: HTTP2Event) {
        switch event {
        case let .headers(streamID, headers, endStream):
            guard let stream = streams[streamID] else { return }
            let fields = headers.map { (name: $0.name, value: $0.value) }
            switch stream.phase {
            case .awaitingHeaders:
                if let outcome = stream.receiveHeaders(fields, endStream: endStream) {
                    complete(streamID, error: outcome, reset: !endStream)
                }
            case .receivingMessages:
                complete(streamID, error: stream.receiveTrailers(fields), reset: !endStream)
            case .finished:
                break
            }
        case let .data(streamID, bytes):
            guard let stream = streams[streamID] else {
                session.consume(streamID: streamID, bytes: bytes.count)
                return
            }
            if let failure = stream.receive(bytes) {
                session.consume(streamID: streamID, bytes: bytes.count)
                complete(streamID, error: failure, reset: true)
            } else if stream.unreadBytes < Self.unreadLimit {
                session.consume(streamID: streamID, bytes: bytes.count)
            } else {
                stream.unacknowledgedBytes += bytes.count
            }
        case let .endStream(streamID):
            guard let stream = streams[streamID], stream.phase != .finished else { return }
            complete(streamID, error: stream.receiveEndWithoutTrailers(), reset: false)
        case let .streamClosed(streamID, errorCode):
            guard streams[streamID] != nil else { return }
            let code = GRPCStatusMapping.statusCode(forHTTP2ErrorCode: errorCode) ?? .internal
            let message = errorCode == 0
                ? "the stream closed without a status" : "the server reset the stream (HTTP/2 error \(errorCode))"
            complete(streamID, error: RPCError(code: code, message: message), reset: false)
        case let .goAway(lastStreamID, errorCode):
            let refused = RPCError(
                code: .unavailable, message: "the server went away before processing the call (GOAWAY \(errorCode))")
            for streamID in streams.keys where streamID > lastStreamID {
                complete(streamID, error: refused, reset: false)
            }
            beginDraining()
        case .headerListTooLarge(let streamID):
            complete(
                streamID, error: RPCError(code: .internal, message: "the response headers are larger than the limit"),
                reset: true)
        case .pingAcknowledged:
            keepaliveDeadline?.cancel()
            keepaliveDeadline = nil
        case .pingReceived:
            break
        }
    }

    /// Gives a call its outcome (`nil`: OK) and forgets the stream; `reset` sends RST_STREAM CANCEL if the stream
    /// is still open. Later events for the stream are ignored.
    private func complete(_ streamID: Int32, error: RPCError?, reset: Bool) {
        guard let stream = streams.removeValue(forKey: streamID), stream.markFinished() else { return }
        let writerError = error ?? RPCError(code: .cancelled, message: "the call has ended")
        for waiter in stream.writeWaiters { waiter.fail(writerError) }
        stream.writeWaiters.removeAll()
        streamsWithWriters.remove(streamID)
        // Give back the window of everything received on this stream, read or not.
        let held = stream.unacknowledgedBytes
        if held > 0 { session.consume(streamID: streamID, bytes: held) }
        if !isClosed, session.isStreamOpen(streamID), reset || !stream.requestsFinished {
            try? session.resetStream(streamID: streamID, errorCode: 8)  // CANCEL
        }
        scheduleFlush()
        closeIfDrained()
        // Last: a unary call's callback runs here and may open the next call on this connection at once.
        stream.responses.finish(error)
    }

    /// Makes the deadline timer fire at `at` unless it fires earlier already.
    private func armDeadlineTimer(_ at: NIODeadline) {
        if let armed = deadlineTimerAt, armed <= at { return }
        deadlineTimer?.cancel()
        deadlineTimerAt = at
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        deadlineTimer = eventLoop.scheduleTask(deadline: at) { loopBound.value.deadlineTimerFired() }
    }

    /// Ends the calls whose deadline passed (DEADLINE_EXCEEDED, the stream reset) and re-arms for the next.
    private func deadlineTimerFired() {
        deadlineTimer = nil
        deadlineTimerAt = nil
        guard !isClosed else { return }
        let now = NIODeadline.now()
        var expired: [Int32] = []
        var next: NIODeadline?
        for (streamID, stream) in streams {
            guard let deadline = stream.deadline else { continue }
            if deadline <= now {
                expired.append(streamID)
            } else {
                next = min(next ?? deadline, deadline)
            }
        }
        for streamID in expired {
            complete(streamID, error: RPCError(code: .deadlineExceeded, message: "the call's deadline passed"), reset: true)
        }
        if let next { armDeadlineTimer(next) }
    }

    private func closeIfDrained() {
        guard isDraining, streams.isEmpty, !isClosed else { return }
        // Let the last frames (END_STREAM, RST_STREAM, GOAWAY) out first.
        flush()
        context?.close(promise: nil)
    }

    // MARK: Output

    /// Arranges one flush at the end of this event-loop tick, however many frames are queued in it.
    private func scheduleFlush() {
        guard !flushScheduled, !inReadBurst, !isClosed else { return }
        flushScheduled = true
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.execute { loopBound.value.flush() }
    }

    private func flush() {
        flushScheduled = false
        guard let context, !isClosed else { return }
        // While the socket is backed up, frames wait in the session (writers wait with them).
        guard context.channel.isWritable else { return }
        let frames: ByteBuffer?
        do {
            frames = try output.take(from: session, allocator: context.channel.allocator)
        } catch {
            context.close(promise: nil)
            return
        }
        if let frames {
            context.writeAndFlush(wrapOutboundOut(frames), promise: nil)
        }
        // Streams that closed as their last frame went out.
        for event in session.takePendingEvents() { handle(event) }
        releaseWriters()
        // nghttp2 is done with the connection: GOAWAY both ways with no stream left, or a protocol error made it
        // queue GOAWAY (`mem_recv` reports that as success), just written. Close now, after the write.
        if !session.wantsRead && !session.wantsWrite { context.close(promise: nil) }
    }

    // MARK: Keepalive

    /// Every keepalive interval: a PING (while calls are active, or always if permitted), and the connection
    /// closes unless it is acknowledged within the timeout.
    private func armKeepalive() {
        guard let keepalive else { return }
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        keepaliveTimer = eventLoop.scheduleTask(in: keepalive.interval.timeAmount) {
            loopBound.value.keepaliveTick(keepalive)
        }
    }

    private func keepaliveTick(_ keepalive: ClientKeepalive) {
        guard !isClosed else { return }
        if keepaliveDeadline == nil, !streams.isEmpty || keepalive.permitWithoutCalls {
            try? session.sendPing()
            scheduleFlush()
            let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
            keepaliveDeadline = eventLoop.scheduleTask(in: keepalive.timeout.timeAmount) {
                loopBound.value.keepaliveExpired()
            }
        }
        armKeepalive()
    }

    /// No acknowledgement in time: the connection is dead. Its calls fail with UNAVAILABLE when it closes.
    private func keepaliveExpired() {
        keepaliveDeadline = nil
        context?.close(promise: nil)
    }

    /// Resumes writers whose stream's queue drained below the limit.
    private func releaseWriters() {
        guard !streamsWithWriters.isEmpty else { return }
        for streamID in streamsWithWriters {
            guard let stream = streams[streamID] else { continue }
            if session.bufferedBytes(streamID: streamID) <= Self.sendBufferLimit {
                let waiters = stream.writeWaiters
                stream.writeWaiters.removeAll()
                streamsWithWriters.remove(streamID)
                for waiter in waiters { waiter.succeed() }
            }
        }
    }
}

/// A connection that takes no new calls; the channel picks another (or makes a new one).
struct ConnectionUnusable: Error {}
