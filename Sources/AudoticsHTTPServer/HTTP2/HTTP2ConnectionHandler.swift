import AudoticsHTTP2
import AudoticsTransport
import NIOCore

/// One HTTP/2 connection: bytes go through an `HTTP2Session` (nghttp2), each complete request stream goes to
/// the handler's `start`, else runs the handler as a task on this connection's event loop, and responses go
/// back as HEADERS and DATA.
///
/// nghttp2's rules are kept: nothing is sent from inside `receive` (events are handled after it returns),
/// and frames are drained and written once per event-loop tick. nghttp2 enforces the protocol, the pseudo-
/// header rules, `content-length` against the DATA received, SETTINGS_MAX_CONCURRENT_STREAMS (REFUSED_STREAM
/// beyond) and the header list limit (the stream is reset). Flow control is manual: a stream's DATA is
/// consumed (its window reopened) as it is collected, up to the body limit (413 beyond).
///
/// Shutdown, and the request limit, go the two-step way: GOAWAY announcing the last possible stream and a
/// PING; on its acknowledgement, GOAWAY naming the last stream processed; the connection closes when the
/// streams are done.
final class HTTP2ConnectionHandler: ChannelInboundHandler, HTTPServerResponseTarget {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase { case active, noticeSent, goAwaySent }

    private let handler: any HTTPServerHandler
    private let limits: HTTPServerConfiguration.Limits
    private let isSecure: Bool
    private let session: HTTP2Session
    private var streams = StreamMap<HTTP2RequestStream>()
    private var context: ChannelHandlerContext?
    private var executor: EventLoopTaskExecutor?
    private var remoteAddress = "unknown"
    private var output = SessionOutput()
    private var flushScheduled = false
    /// Between `channelRead` and `channelReadComplete`: output produced meanwhile (a handler that answered inline)
    /// goes out with the flush at `channelReadComplete`, without a loop task of its own.
    private var inReadBurst = false
    private var phase = Phase.active
    private var streamCount = 0
    /// The idle deadline, set when the last stream closes and cleared when one opens, checked lazily: the one
    /// timer is only rescheduled when it would fire too late, so streams coming and going schedule nothing.
    private var idleDeadline = ConnectionDeadline<Bool>()
    private var idleTimer: Scheduled<Void>?

    init(handler: any HTTPServerHandler, configuration: HTTPServerConfiguration, isSecure: Bool) throws {
        self.handler = handler
        self.limits = configuration.limits
        self.isSecure = isSecure
        self.session = try HTTP2Session(role: .server, settings: configuration.effectiveHTTP2)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        executor = EventLoopTaskExecutor(eventLoop: context.eventLoop)
        remoteAddress = context.channel.remoteAddress?.httpServerDescription ?? "unknown"
        // Our SETTINGS go out at once; the client's preface follows (or is already on its way up).
        flush()
        armIdleTimer()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        self.context = nil
        executor = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        let open = streams.allValues
        streams.removeAll()
        for stream in open {
            stream.work?.cancel()
            stream.bodyTimer?.cancel()
        }
        idleTimer?.cancel()
        context.fireChannelInactive()
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

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is HTTPServerShutdownEvent {
            beginShutdown()
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: Events

    private func handle(_ event: HTTP2Event) {
        switch event {
        case let .headers(streamID, fields, endStream):
            opened(streamID, fields, endStream: endStream)
        case let .data(streamID, bytes):
            session.consume(streamID: streamID, bytes: bytes.count)
            guard let stream = streams[streamID], !stream.started else { return }
            guard stream.body.count + bytes.count <= limits.maxBodyBytes else {
                return respond(streamID, serverResponse(ErrorResponses.bodyTooLarge(limit: limits.maxBodyBytes), stream), isHead: false)
            }
            stream.body.append(contentsOf: bytes)
        case let .endStream(streamID):
            guard let stream = streams[streamID], !stream.started else { return }
            start(stream)
        case let .streamClosed(streamID, _):
            if let stream = streams.removeValue(forKey: streamID) {
                stream.work?.cancel()
                stream.bodyTimer?.cancel()
            }
            streamClosed()
        case .pingAcknowledged:
            if phase == .noticeSent {
                phase = .goAwaySent
                try? session.sendGoAway(errorCode: 0)
                scheduleFlush()
            }
        case .headerListTooLarge, .goAway, .pingReceived:
            break
        }
    }

    private func opened(_ streamID: Int32, _ fields: [HPACKHeader], endStream: Bool) {
        // Trailers (a second header block) end the body; their fields are not passed on.
        if let stream = streams[streamID] {
            if endStream && !stream.started { start(stream) }
            return
        }
        guard let stream = HTTP2RequestStream.parse(streamID: streamID, fields) else {
            try? session.resetStream(streamID: streamID, errorCode: 1)
            scheduleFlush()
            return
        }
        streams[streamID] = stream
        streamCount += 1
        idleDeadline.clear()
        if let max = limits.maxRequestsPerConnection, streamCount >= max { beginShutdown() }
        if let declared = stream.declaredLength, declared > limits.maxBodyBytes {
            return respond(streamID, serverResponse(ErrorResponses.bodyTooLarge(limit: limits.maxBodyBytes), stream), isHead: false)
        }
        if endStream {
            start(stream)
        } else if let eventLoop = context?.eventLoop {
            let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
            let timeout = limits.bodyReadTimeout
            stream.bodyTimer = eventLoop.scheduleTask(in: TimeAmount(timeout)) {
                let handler = loopBound.value
                guard let stream = handler.streams[streamID] else { return }
                handler.respond(
                    streamID, handler.serverResponse(ErrorResponses.requestTimeout("the request body did not arrive within \(timeout)"), stream),
                    isHead: false)
            }
        }
    }

    // MARK: Running requests

    private func start(_ stream: HTTP2RequestStream) {
        guard let eventLoop = context?.eventLoop, let executor else { return }
        stream.started = true
        stream.bodyTimer?.cancel()
        stream.bodyTimer = nil
        let request = HTTPServerRequest(
            method: stream.method, target: stream.target, headers: stream.headers, body: stream.body, version: .http2,
            remoteAddress: remoteAddress, isSecure: isSecure)
        stream.body = []
        let streamID = stream.streamID
        let isHead = stream.method == "HEAD"
        let handler = self.handler
        switch handler.start(request, responder: HTTPServerResponder(connection: self, requestID: Int(streamID), executor: executor)) {
        case .started(let onCancel):
            // It may have answered already.
            if streams[streamID] === stream { stream.work = .started(onCancel: onCancel) }
            return
        case .declined:
            break
        }
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        // Runs inline until the handler first suspends (an echo never does), then on this loop.
        let task = Task.immediate(executorPreference: executor) {
            let response = await handler.handle(request)
            if eventLoop.inEventLoop {
                loopBound.value.respond(streamID, response, isHead: isHead)
            } else {
                eventLoop.execute { loopBound.value.respond(streamID, response, isHead: isHead) }
            }
        }
        if streams[streamID] === stream { stream.work = .task(task) }
    }

    /// A response the server makes itself, as the application adjusts it.
    private func serverResponse(_ response: HTTPServerResponse, _ stream: HTTP2RequestStream) -> HTTPServerResponse {
        handler.serverResponse(response, for: HTTPServerRequest(
            method: stream.method, target: stream.target, headers: stream.headers, body: [], version: .http2,
            remoteAddress: remoteAddress, isSecure: isSecure))
    }

    func respond(to requestID: Int, with response: HTTPServerResponse) {
        let streamID = Int32(truncatingIfNeeded: requestID)
        guard let stream = streams[streamID] else { return }
        stream.work = nil  // the handler's own answer: nothing left to cancel
        respond(streamID, response, isHead: stream.method == "HEAD")
    }

    /// Sends a response on a stream, once (a handler's late answer after an error response is dropped).
    private func respond(_ streamID: Int32, _ response: HTTPServerResponse, isHead: Bool) {
        guard let stream = streams.removeValue(forKey: streamID) else { return }
        stream.bodyTimer?.cancel()
        if !stream.started { stream.started = true }
        stream.work?.cancel()  // only a response sent before the handler finished (413, 408) leaves it running
        guard session.isStreamOpen(streamID) else { return }
        let status = ResponseFields.finalStatus(response.status)
        var fields = [HPACKHeader(name: ":status", value: String(status))]
        fields.reserveCapacity(response.headers.count + 2)
        for (name, value) in response.headers
        where !ResponseFields.isFramingField(name) && !ResponseFields.isConnectionField(name) && ResponseFields.isSafe(name: name, value: value) {
            let name = HTTPServerRequest.lowercasedName(name)
            fields.append(HPACKHeader(
                name: name, value: value, isSensitive: name == "set-cookie", isIndexable: !HPACKHeader.changesEveryMessage(name)))
        }
        if ResponseFields.hasContentLength(status: status) {
            fields.append(HPACKHeader(name: "content-length", value: String(response.body.count)))
        }
        let withBody = !isHead && ResponseFields.hasBody(status: status) && !response.body.isEmpty
        do {
            try session.sendResponseHeaders(streamID: streamID, headers: fields, endStream: !withBody)
            if withBody {
                try session.sendData(streamID: streamID, bytes: response.body)
                try session.finish(streamID: streamID, trailers: nil)
            }
        } catch {
            try? session.resetStream(streamID: streamID, errorCode: 2)
        }
        scheduleFlush()
    }

    private func streamClosed() {
        guard streams.isEmpty else { return }
        if phase == .goAwaySent {
            flush()
            context?.close(promise: nil)
        } else if phase == .active {
            armIdleTimer()
        }
    }

    // MARK: Lifecycle

    /// GOAWAY announcing the last possible stream, and a PING whose acknowledgement sends the final GOAWAY.
    private func beginShutdown() {
        guard phase == .active else { return }
        phase = .noticeSent
        idleDeadline.clear()
        try? session.sendShutdownNotice()
        try? session.sendPing()
        scheduleFlush()
    }

    private func armIdleTimer() {
        apply(idleDeadline.set(true, at: .now() + TimeAmount(limits.idleTimeout)))
    }

    private func apply(_ action: ConnectionDeadline<Bool>.TimerAction) {
        switch action {
        case .none:
            return
        case .schedule(let at):
            guard let eventLoop = context?.eventLoop else { return }
            idleTimer?.cancel()
            let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
            idleTimer = eventLoop.scheduleTask(deadline: at) {
                let handler = loopBound.value
                handler.idleTimer = nil
                handler.apply(handler.idleDeadline.timerFired(now: .now()))
            }
        case .expired:
            guard streams.isEmpty, phase == .active else { return }
            try? session.sendGoAway(errorCode: 0)
            phase = .goAwaySent
            flush()
            context?.close(promise: nil)
        }
    }

    // MARK: Output

    /// Arranges one flush at the end of this event-loop tick, however many responses are written in it.
    private func scheduleFlush() {
        guard !flushScheduled, !inReadBurst, let eventLoop = context?.eventLoop else { return }
        flushScheduled = true
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.execute { loopBound.value.flush() }
    }

    private func flush() {
        flushScheduled = false
        guard let context else { return }
        // While the socket is backed up, frames wait in the session.
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
            for event in session.takePendingEvents() { handle(event) }
        }
        // nghttp2 is done with the connection (both sides said GOAWAY and no stream is left, or a protocol error
        // queued GOAWAY, just written).
        if !session.wantsRead && !session.wantsWrite { context.close(promise: nil) }
    }
}

/// Confined to its channel's event loop.
@available(*, unavailable)
extension HTTP2ConnectionHandler: Sendable {}
