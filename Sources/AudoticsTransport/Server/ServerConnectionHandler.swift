import AudoticsHTTP2
import AudoticsRPC
import NIOCore

/// One gRPC server connection: bytes from the socket go through an `HTTP2Session`, each request
/// stream becomes a handler task on this connection's event loop, and responses go back as frames.
///
/// Everything here runs on the channel's event loop. Writes are coalesced: a response message only
/// queues frames, and one write-and-flush per event-loop tick sends everything that is ready.
///
/// Back-pressure, as on the client: a handler's writer waits while more than `sendBufferLimit` bytes of its
/// stream are queued in the session (the client's flow-control window is closed), and nothing is drained
/// into the socket while the channel is not writable (the client does not read), so those bytes stay queued
/// and the writers wait. A client that never reads pins at most about `sendBufferLimit` per stream.
final class ServerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Bytes of one stream's responses queued before its handler's writer waits.
    static let sendBufferLimit = 256 * 1024

    private let router: RPCRouter
    private let configuration: GRPCServerConfiguration
    private let session: HTTP2Session
    private var streams = StreamMap<ServerStream>()
    /// Streams whose handler waits for its queued responses to drain.
    private var streamsWithWriters: Set<Int32> = []
    private var context: ChannelHandlerContext?
    private var executor: EventLoopTaskExecutor?
    private var flushScheduled = false
    /// Between `channelRead` and `channelReadComplete`: output produced meanwhile (a handler that answered inline)
    /// goes out with the flush at `channelReadComplete`, without a loop task of its own.
    private var inReadBurst = false
    private var output = SessionOutput()
    private var peer = "unknown"
    private var lifecycle: ConnectionLifecycle
    /// Streams counted as active for the lifecycle (opened by a request, not yet closed).
    private var countedStreams = StreamMap<Bool>()
    /// Fires at the earliest moment the connection could have been idle for `maxIdle`; see `armIdleTimer`.
    private var idleTimer: Scheduled<Void>?
    /// One timer for the deadlines of all the connection's calls, armed at the earliest (or earlier): a timer per
    /// call cost a schedule and a cancellation (heap operations on the loop) for every call with a deadline, and
    /// calls mostly come with deadlines later than those before them, so it rarely moves.
    private var deadlineTimer: Scheduled<Void>?
    private var deadlineTimerAt: NIODeadline?
    /// When the connection last became idle (no active streams); `nil` while it has some.
    private var idleSince: NIODeadline?
    private var ageTimer: Scheduled<Void>?
    private var graceTimer: Scheduled<Void>?
    private var keepaliveTimer: Scheduled<Void>?
    /// The route of the last call and its path: the next call most often asks for the same.
    private var lastRoute: (path: String, route: RPCRouter.Route)?
    private var keepaliveDeadline: Scheduled<Void>?

    init(router: RPCRouter, configuration: GRPCServerConfiguration) throws {
        self.router = router
        self.configuration = configuration
        self.session = try HTTP2Session(role: .server, settings: configuration.http2)
        self.lifecycle = ConnectionLifecycle(policy: configuration.connection)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        executor = EventLoopTaskExecutor(eventLoop: context.eventLoop)
        peer = context.channel.remoteAddress.map(Self.peerDescription) ?? "unknown"
    }

    /// Drops the context and the timers: the handler and its context (and scheduled timers holding
    /// the handler) would otherwise keep each other alive after the connection closed.
    func handlerRemoved(context: ChannelHandlerContext) {
        for timer in [idleTimer, ageTimer, graceTimer, keepaliveTimer, keepaliveDeadline, deadlineTimer] { timer?.cancel() }
        self.context = nil
        executor = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        flush()
        armIdleTimer()
        if let maxAge = configuration.connection.maxAge {
            ageTimer = schedule(after: maxAge) { $0.perform($0.lifecycle.maxAgeReached()) }
        }
        armKeepalive()
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is GracefulShutdownEvent {
            perform(lifecycle.shutdownRequested())
        } else {
            context.fireUserInboundEventTriggered(event)
        }
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
        for stream in streams.allValues { stream.cancel() }
        streams.removeAll()
        streamsWithWriters.removeAll()
        for timer in [idleTimer, ageTimer, graceTimer, keepaliveTimer, keepaliveDeadline, deadlineTimer] { timer?.cancel() }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// A peer in gRPC's form: `ipv4:1.2.3.4:5678`, `ipv6:[::1]:5678`, `unix:/path`.
    static func peerDescription(_ address: SocketAddress) -> String {
        switch address {
        case .v4:
            return "ipv4:\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        case .v6:
            return "ipv6:[\(address.ipAddress ?? "?")]:\(address.port ?? 0)"
        case .unixDomainSocket:
            return "unix:\(address.pathname ?? "")"
        }
    }

    // MARK: Events

    private func handle(_ event: HTTP2Event) {
        switch event {
        case let .headers(streamID, headers, endStream):
            openStream(streamID, headers: headers, endStream: endStream)
        case let .data(streamID, bytes):
            session.consume(streamID: streamID, bytes: bytes.count)
            guard let stream = streams[streamID] else { return }
            if let failure = stream.receive(bytes) { fail(streamID, failure) }
        case let .endStream(streamID):
            guard let stream = streams[streamID] else { return }
            stream.finishRequests()
            if stream.isUnary { startUnary(stream) }
        case let .streamClosed(streamID, _):
            streams.removeValue(forKey: streamID)?.cancel()
            if countedStreams.removeValue(forKey: streamID) != nil {
                perform(lifecycle.streamClosed())
                if lifecycle.activeStreams == 0 { armIdleTimer() }
            }
        case .pingReceived:
            perform(lifecycle.pingReceived(at: .now))
        case .pingAcknowledged:
            keepaliveDeadline?.cancel()
            keepaliveDeadline = nil
            perform(lifecycle.pingAcknowledged())
        case .headerListTooLarge, .goAway:
            break
        }
    }

    private func openStream(_ streamID: Int32, headers: [HPACKHeader], endStream: Bool) {
        if countedStreams[streamID] == nil {
            countedStreams[streamID] = true
            lifecycle.streamOpened()
            // The idle timer stays scheduled: when it fires it finds the connection busy (or idle again, but not
            // for long enough) and re-arms itself. Cancelling and scheduling it on every call costs more.
            idleSince = nil
        }
        let head: GRPCServerRequestHead
        do {
            head = try GRPCServerRequestHead(parsingFields: { body in
                for header in headers { body(header.name, header.value) }
            })
        } catch {
            respondTrailersOnly(streamID, error.responseHeaders())
            return
        }
        let rawPath = head.path
        // Calls usually repeat the path of the previous one (the same String, from nghttp2's header cache).
        let route: RPCRouter.Route
        if let last = lastRoute, last.path == rawPath {
            route = last.route
        } else if let found = router.route(forPath: rawPath) {
            route = found
            lastRoute = (rawPath, found)
        } else {
            let error = RPCError(code: .unimplemented, message: "method \(head.path) is not implemented by this server")
            respondTrailersOnly(streamID, GRPCTrailers(error: error).trailersOnlyHeaders())
            return
        }
        let method = route.method
        let deadline = head.timeout.map { ContinuousClock.now + $0 }
        let serverContext = ServerContext(method: method, metadata: head.metadata, deadline: deadline, peer: peer)
        let stream = ServerStream(
            streamID: streamID, response: serverContext.response, requestEncoding: head.encoding,
            responseEncoding: head.encoding.isCompressing
                ? head.encoding : (head.acceptEncodings.contains(.gzip) ? .gzip : .identity),
            maxMessageBytes: configuration.maxReceiveMessageBytes, unary: route.unary != nil)
        streams[streamID] = stream
        if let unary = route.unary {
            // Unary fast path: collect the request, then run the handler once, without request streams.
            stream.pendingUnary = (unary, serverContext)
            if endStream {
                stream.finishRequests()
                startUnary(stream)
            }
        } else {
            if endStream { stream.finishRequests() }
            start(stream, handler: route.handler, context: serverContext)
        }
        if let timeout = head.timeout {
            let at = NIODeadline.now() + TimeAmount(timeout)
            stream.deadline = (at, "\(method)")
            armDeadlineTimer(at)
        }
    }

    private func start(_ stream: ServerStream, handler: @escaping RPCRouter.Handler, context serverContext: ServerContext) {
        guard let eventLoop = context?.eventLoop, let executor else { return }
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        let streamID = stream.streamID
        guard let requests = stream.requests else { return }
        let writer = RPCWriter<[UInt8]>(compressing: { bytes, compress in
            if eventLoop.inEventLoop {
                if let drained = try loopBound.value.write(streamID, bytes, compress: compress) { try await drained.get() }
            } else {
                try await eventLoop.flatSubmit {
                    do {
                        return try loopBound.value.write(streamID, bytes, compress: compress) ?? eventLoop.makeSucceededVoidFuture()
                    } catch {
                        return eventLoop.makeFailedFuture(error)
                    }
                }.get()
            }
        })
        // Runs inline until the handler first suspends, then on the loop (as for unary calls).
        stream.task = Task.immediate(executorPreference: executor) {
            let outcome: RPCError?
            do {
                // Calls the handler makes inherit what is left of this call's deadline.
                if let deadline = serverContext.deadline {
                    try await RPCDeadline.$current.withValue(deadline) { try await handler(requests, writer, serverContext) }
                } else {
                    try await handler(requests, writer, serverContext)
                }
                outcome = nil
            } catch {
                outcome = RPCError(statusOf: error)
            }
            eventLoop.execute { loopBound.value.complete(streamID, error: outcome) }
        }
    }

    /// Runs a unary call's handler on the whole request, then sends the response and status together.
    private func startUnary(_ stream: ServerStream) {
        guard let (handler, serverContext) = stream.pendingUnary, let eventLoop = context?.eventLoop, let executor else { return }
        stream.pendingUnary = nil
        let streamID = stream.streamID
        if let error = stream.unaryError {
            complete(streamID, error: error)
            return
        }
        guard stream.unaryRequestCount == 1 else {
            let count = stream.unaryRequestCount
            complete(streamID, error: RPCError(
                code: .unimplemented, message: "\(serverContext.method) expects exactly one request message, got \(count)"))
            return
        }
        let request = stream.unaryRequest
        if stream.unaryRequestCompressed { serverContext.response.requestMessageCompressed = true }
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        // The handler starts here, on the event loop, and runs inline until it first suspends (a handler that
        // never does, like an echo, costs no executor hop at all); after a suspension it resumes on the loop.
        let task = Task.immediate(executorPreference: executor) {
            do {
                let response: [UInt8]
                if let deadline = serverContext.deadline {
                    response = try await RPCDeadline.$current.withValue(deadline) { try await handler(request, serverContext) }
                } else {
                    response = try await handler(request, serverContext)
                }
                if eventLoop.inEventLoop {
                    loopBound.value.finishUnary(streamID, response: response)
                } else {
                    eventLoop.execute { loopBound.value.finishUnary(streamID, response: response) }
                }
            } catch {
                let outcome = RPCError(statusOf: error)
                if eventLoop.inEventLoop {
                    loopBound.value.complete(streamID, error: outcome)
                } else {
                    eventLoop.execute { loopBound.value.complete(streamID, error: outcome) }
                }
            }
        }
        // A handler that finished inline has completed the stream already; only a running one needs its task kept.
        if streams[streamID] === stream { stream.task = task }
    }

    /// Sends a unary call's response message, then its status.
    private func finishUnary(_ streamID: Int32, response: [UInt8]) {
        do {
            _ = try write(streamID, response)
        } catch {
            complete(streamID, error: error as? RPCError ?? RPCError(code: .internal, message: "cannot send the response"))
            return
        }
        complete(streamID, error: nil)
    }

    // MARK: Responses

    /// Sends one response message, with the response headers first if none were sent yet. Returns a future
    /// to wait for when the stream's queue is over `sendBufferLimit` (it completes once the queue drained
    /// below the limit, or fails when the stream ends), `nil` when the writer may go on at once.
    private func write(_ streamID: Int32, _ message: [UInt8], compress: Bool? = nil) throws -> EventLoopFuture<Void>? {
        guard let stream = streams[streamID], session.isStreamOpen(streamID) else {
            throw RPCError(code: .cancelled, message: "the stream is closed")
        }
        if !stream.headersSent {
            try sendResponseHeaders(stream)
        }
        var framed: [UInt8] = []
        framed.reserveCapacity(message.count + 5)
        let compress = compress ?? stream.response.compressMessages ?? stream.requestEncoding.isCompressing
        try stream.framer.append(message, compress: compress, into: &framed)
        try session.sendData(streamID: streamID, bytes: framed)
        scheduleFlush()
        guard session.bufferedBytes(streamID: streamID) > Self.sendBufferLimit, let eventLoop = context?.eventLoop else {
            return nil
        }
        let promise = eventLoop.makePromise(of: Void.self)
        stream.writeWaiters.append(promise)
        streamsWithWriters.insert(streamID)
        return promise.futureResult
    }

    private func sendResponseHeaders(_ stream: ServerStream) throws {
        let metadata = stream.response.initialMetadata
        if metadata.count == 0 {
            let compression = stream.framer.compression
            let common = compression == .identity ? Self.identityResponseHeaders
                : compression == .gzip ? Self.gzipResponseHeaders : Self.deflateResponseHeaders
            try session.sendResponseHeaders(streamID: stream.streamID, prepared: common, endStream: false)
        } else {
            let head = GRPCResponseHead(encoding: stream.framer.compression, acceptEncodings: GRPCMessageCompression.all, metadata: metadata)
            try session.sendResponseHeaders(streamID: stream.streamID, headers: hpack(try head.headers()), endStream: false)
        }
        stream.headersSent = true
    }

    /// Response headers without custom metadata, built once per encoding (most calls send these).
    private static let identityResponseHeaders = commonResponseHeaders(.identity)
    private static let gzipResponseHeaders = commonResponseHeaders(.gzip)
    private static let deflateResponseHeaders = commonResponseHeaders(.deflate)

    private static func commonResponseHeaders(_ encoding: GRPCMessageCompression) -> PreparedHeaders {
        let head = GRPCResponseHead(encoding: encoding, acceptEncodings: GRPCMessageCompression.all)
        // A head without metadata always has valid fields.
        let fields = (try? head.headers()) ?? []
        return PreparedHeaders(fields.map { HPACKHeader(name: $0.name, value: $0.value) })
    }

    /// The trailers of a successful call without trailing metadata.
    private static let okTrailers = PreparedHeaders(GRPCTrailers().headers().map { HPACKHeader(name: $0.name, value: $0.value) })

    /// Ends a stream when its handler returns: trailers after a body, or a Trailers-Only response.
    private func complete(_ streamID: Int32, error: RPCError?) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        stream.failWriters(RPCError(code: .cancelled, message: "the call has ended"))
        guard session.isStreamOpen(streamID) else { return }
        let trailingMetadata = stream.response.trailingMetadata
        if error == nil, trailingMetadata.count == 0, stream.headersSent {
            try? session.finish(streamID: streamID, preparedTrailers: Self.okTrailers)
            scheduleFlush()
            return
        }
        var trailers = error.map(GRPCTrailers.init(error:)) ?? GRPCTrailers()
        for (key, value) in trailingMetadata {
            switch value {
            case .string(let text): trailers.metadata.addString(text, forKey: key)
            case .binary(let bytes): trailers.metadata.addBinary(bytes, forKey: key)
            }
        }
        do {
            if stream.headersSent {
                try session.finish(streamID: streamID, trailers: hpack(trailers.headers()))
            } else if stream.response.initialMetadata.count > 0 {
                // Initial metadata was set but no message sent: headers, then trailers.
                try sendResponseHeaders(stream)
                try session.finish(streamID: streamID, trailers: hpack(trailers.headers()))
            } else {
                try session.sendResponseHeaders(streamID: streamID, headers: hpack(trailers.trailersOnlyHeaders()), endStream: true)
            }
        } catch {
            try? session.resetStream(streamID: streamID, errorCode: 2)
        }
        scheduleFlush()
    }

    /// Fails a running stream: the handler is cancelled and the status sent at once.
    private func fail(_ streamID: Int32, _ error: RPCError) {
        guard let stream = streams[streamID] else { return }
        stream.cancel()
        complete(streamID, error: error)
    }

    private func respondTrailersOnly(_ streamID: Int32, _ fields: [(name: String, value: String)]) {
        try? session.sendResponseHeaders(streamID: streamID, headers: hpack(fields), endStream: true)
        scheduleFlush()
    }

    // MARK: Output

    /// Arranges one flush at the end of this event-loop tick, however many messages are written in it.
    private func scheduleFlush() {
        guard !flushScheduled, !inReadBurst, let eventLoop = context?.eventLoop else { return }
        flushScheduled = true
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.execute { loopBound.value.flush() }
    }

    private func flush() {
        flushScheduled = false
        guard let context else { return }
        // While the socket is backed up, frames wait in the session (and writers wait with them).
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
            // Streams that closed as their last frame went out (after writing it: closing the connection
            // now must not drop those frames).
            for event in session.takePendingEvents() { handle(event) }
            releaseWriters()
        }
        // nghttp2 is done with the connection: both sides said GOAWAY and no stream is left, or a protocol
        // error made it queue GOAWAY (which `mem_recv` reports as success), just written. Closing here, after
        // the write, matters for the latter: no later read would come to close a connection the client keeps.
        if !session.wantsRead && !session.wantsWrite { context.close(promise: nil) }
    }

    /// Resumes writers whose stream's queue drained below the limit.
    private func releaseWriters() {
        guard !streamsWithWriters.isEmpty else { return }
        for streamID in streamsWithWriters {
            guard let stream = streams[streamID] else {
                streamsWithWriters.remove(streamID)
                continue
            }
            if session.bufferedBytes(streamID: streamID) <= Self.sendBufferLimit {
                let waiters = stream.writeWaiters
                stream.writeWaiters.removeAll()
                streamsWithWriters.remove(streamID)
                for waiter in waiters { waiter.succeed() }
            }
        }
    }

    private func hpack(_ fields: [(name: String, value: String)]) -> [HPACKHeader] {
        fields.map { field in
            HPACKHeader(name: field.name, value: field.value, isSensitive: field.name == "authorization")
        }
    }

    // MARK: Lifecycle

    /// Carries out what the lifecycle decided.
    private func perform(_ actions: [ConnectionLifecycle.Action]) {
        for action in actions {
            switch action {
            case .sendShutdownNotice:
                try? session.sendShutdownNotice()
                try? session.sendPing()
                graceTimer = schedule(after: configuration.connection.gracePeriod) { $0.perform($0.lifecycle.graceExpired()) }
            case .sendGoAway(let errorCode):
                try? session.sendGoAway(errorCode: errorCode)
            case .close:
                flush()
                context?.close(promise: nil)
            }
        }
        scheduleFlush()
    }

    /// The connection just became idle: it goes away once it has stayed idle for `maxIdle`. One timer serves every
    /// idle period: when it fires early (a call came and went since it was scheduled), it schedules itself again
    /// for `maxIdle` after the connection last became idle.
    private func armIdleTimer() {
        guard let maxIdle = configuration.connection.maxIdle else { return }
        let now = NIODeadline.now()
        idleSince = now
        if idleTimer == nil { scheduleIdleTimer(at: now + TimeAmount(maxIdle)) }
    }

    private func scheduleIdleTimer(at deadline: NIODeadline) {
        idleTimer = schedule(at: deadline) { $0.idleTimerFired() }
    }

    private func idleTimerFired() {
        idleTimer = nil
        guard let idleSince, let maxIdle = configuration.connection.maxIdle else { return }
        let deadline = idleSince + TimeAmount(maxIdle)
        if deadline <= .now() {
            perform(lifecycle.idleTimeout())
        } else {
            scheduleIdleTimer(at: deadline)
        }
    }

    /// Pings the client every keepalive interval; no acknowledgement within the timeout closes the connection.
    private func armKeepalive() {
        keepaliveTimer = schedule(after: configuration.connection.keepaliveInterval) { handler in
            try? handler.session.sendPing()
            handler.scheduleFlush()
            handler.keepaliveDeadline = handler.schedule(after: handler.configuration.connection.keepaliveTimeout) { late in
                late.context?.close(promise: nil)
            }
            handler.armKeepalive()
        }
    }

    /// Makes the deadline timer fire at `at` unless it fires earlier already.
    private func armDeadlineTimer(_ at: NIODeadline) {
        if let armed = deadlineTimerAt, armed <= at { return }
        deadlineTimer?.cancel()
        deadlineTimerAt = at
        deadlineTimer = schedule(at: at) { $0.deadlineTimerFired() }
    }

    /// Fails the calls whose deadline passed (DEADLINE_EXCEEDED, the handler cancelled) and re-arms for the next.
    private func deadlineTimerFired() {
        deadlineTimer = nil
        deadlineTimerAt = nil
        let now = NIODeadline.now()
        var expired: [(streamID: Int32, method: String)] = []
        var next: NIODeadline?
        for stream in streams.allValues {
            guard let deadline = stream.deadline else { continue }
            if deadline.at <= now {
                expired.append((stream.streamID, deadline.method))
            } else {
                next = min(next ?? deadline.at, deadline.at)
            }
        }
        for (streamID, method) in expired {
            fail(streamID, RPCError(code: .deadlineExceeded, message: "the deadline of \(method) expired"))
        }
        if let next { armDeadlineTimer(next) }
    }

    /// Runs `body` on this connection's loop after `delay`.
    private func schedule(after delay: Duration, _ body: @escaping (ServerConnectionHandler) -> Void) -> Scheduled<Void>? {
        schedule(at: .now() + TimeAmount(delay), body)
    }

    /// Runs `body` on this connection's loop at `deadline`.
    private func schedule(at deadline: NIODeadline, _ body: @escaping (ServerConnectionHandler) -> Void) -> Scheduled<Void>? {
        guard let eventLoop = context?.eventLoop else { return nil }
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        let action = NIOLoopBound(body, eventLoop: eventLoop)
        return eventLoop.scheduleTask(deadline: deadline) { action.value(loopBound.value) }
    }
}

/// Asks a server connection to shut down gracefully (sent by `RunningGRPCServer.stop`).
struct GracefulShutdownEvent: Sendable {}

extension TimeAmount {
    /// The amount closest to `duration`, saturating at the largest representable one.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self = .nanoseconds(nanoseconds.overflow ? Int64.max : nanoseconds.partialValue &+ attoseconds / 1_000_000_000)
    }
}
