import AudoticsTransport
import NIOCore
import NIOHTTP1

/// One HTTP/1.x connection after NIOHTTP1's request decoder: collects each request with its whole body,
/// offers it to the handler's `start`, else runs the handler on it as a task on this connection's event loop,
/// and writes the responses strictly in request order.
///
/// Pipelined requests with a safe method and no body run at once, up to `maxPipelinedRequests`; a response that is ready
/// before an earlier one waits for it, and responses ready in the same event-loop turn go out in one write. Any
/// other method waits until the requests before it are answered and runs alone (RFC 9112 §9.3.2). While a
/// complete request waits for its turn, the socket is not read further.
///
/// Limits end the connection with an error response after the responses already owed: 400 for a request the
/// decoder rejects, 413 for a body above the limit, 431 for a head above it, 408 when a head or body is
/// slower than its timeout, 417 for an unknown `Expect`. An idle keep-alive connection closes silently.
///
/// Everything here runs on the channel's event loop.
final class HTTP1ConnectionHandler: ChannelDuplexHandler, HTTPServerResponseTarget {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What a timeout was waiting for.
    enum Wait: Equatable { case idle, head, body }

    /// A request whose head arrived and whose body is still coming.
    private struct Receiving {
        var head: HTTPRequestHead
        var body: [UInt8] = []
        var keepAlive: Bool
        /// `Expect: 100-continue` and the 100 not sent yet.
        var awaitsContinue: Bool
    }

    /// A complete request waiting for its turn, or running.
    private struct Pending {
        var request: HTTPServerRequest
        var keepAlive: Bool
        var isHead: Bool
        /// GET, HEAD, OPTIONS or TRACE without a body: may run alongside other such requests (a body would let a
        /// client hold many of them in memory at once).
        var isSafe: Bool
    }

    /// A request under way: the handler's work once it is under way (a task that suspended, or a request `start`
    /// took), and its response once given, while an earlier request's is still awaited.
    private struct Running {
        let id: Int
        let pending: Pending
        var work: HTTPServerWork?
        var response: HTTPServerResponse?
    }

    private let handler: any HTTPServerHandler
    private let limits: HTTPServerConfiguration.Limits
    private let maxPipelined: Int
    private let isSecure: Bool
    private var context: ChannelHandlerContext?
    private var executor: EventLoopTaskExecutor?
    private var remoteAddress = "unknown"

    private var receiving: Receiving?
    /// Complete requests not started yet.
    private var queue = CircularBuffer<Pending>()
    /// The requests under way, in request order (consecutive IDs): the first one's response goes out next.
    private var running = CircularBuffer<Running>()
    private var nextID = 0
    /// The last request whose response was written (or -1).
    private var writtenThrough = -1
    private var requestCount = 0
    /// False once no further request will be served (close requested, a limit, an error, shutdown).
    private var acceptsRequests = true
    /// An error response to send after the responses owed, then close.
    private var finalResponse: HTTPServerResponse?
    private var shuttingDown = false
    private var closing = false
    private var driving = false
    /// A `read` held back while a complete request waits (back-pressure for pipelining).
    private var heldRead = false
    /// Inside a read burst writes are flushed once, at `channelReadComplete`.
    private var inReadBurst = false
    private var needsFlush = false
    /// A flush at the end of this event-loop turn is arranged (responses written outside a read burst while
    /// more are owed).
    private var flushScheduled = false
    private var deadline = ConnectionDeadline<Wait>()
    private var timer: Scheduled<Void>?

    init(handler: any HTTPServerHandler, limits: HTTPServerConfiguration.Limits, isSecure: Bool) {
        self.handler = handler
        self.limits = limits
        self.maxPipelined = max(1, limits.maxPipelinedRequests)
        self.isSecure = isSecure
    }

    /// The decoder's limits from the server's: a head above `maxHeaderBytes` fails as `headerOverflow`.
    static func decoderLimits(_ limits: HTTPServerConfiguration.Limits) -> NIOHTTPDecoderLimitConfiguration {
        var configuration = NIOHTTPDecoderLimitConfiguration()
        configuration.maxHeaderListSize = limits.maxHeaderBytes
        configuration.maxHeaderFieldSize = limits.maxHeaderBytes
        return configuration
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        executor = EventLoopTaskExecutor(eventLoop: context.eventLoop)
        remoteAddress = context.channel.remoteAddress?.httpServerDescription ?? "unknown"
        wait(.idle)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
        executor = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        cancelRunning()
        queue.removeAll()
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    // MARK: Reading

    /// Bytes arrived (before decoding): a request's head has begun, and its timeout starts.
    func bytesReceived() {
        inReadBurst = true
        guard receiving == nil, acceptsRequests, deadline.kind == nil || deadline.kind == .idle else { return }
        wait(.head)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inReadBurst = true
        guard !closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            // After the last request (close asked, a limit, an error, shutdown) further requests are ignored.
            guard acceptsRequests else { return }
            receivedHead(head)
        case .body(let buffer):
            guard var request = receiving else { return }
            guard request.body.count + buffer.readableBytes <= limits.maxBodyBytes else {
                return fail(ErrorResponses.bodyTooLarge(limit: limits.maxBodyBytes))
            }
            receiving = nil  // keeps the body uniquely referenced while it grows
            request.body.append(contentsOf: buffer.readableBytesView)
            receiving = request
        case .end:
            guard let request = receiving else { return }
            receiving = nil
            deadline.clear()
            queue.append(Pending(
                request: HTTPServerRequest(
                    method: request.head.method.rawValue, target: request.head.uri,
                    headers: request.head.headers.map { (name: HTTPServerRequest.lowercasedName($0.name), value: $0.value) }, body: request.body,
                    version: request.head.version.minor == 0 ? .http1_0 : .http1_1, remoteAddress: remoteAddress,
                    isSecure: isSecure),
                keepAlive: request.keepAlive, isHead: request.head.method == .HEAD, isSafe: Self.isSafe(request.head.method) && request.body.isEmpty))
            drive()
        }
    }

    private static func isSafe(_ method: HTTPMethod) -> Bool {
        switch method {
        case .GET, .HEAD, .OPTIONS, .TRACE: true
        default: false
        }
    }

    private func receivedHead(_ head: HTTPRequestHead) {
        requestCount += 1
        var keepAlive = head.isKeepAlive
        if let max = limits.maxRequestsPerConnection, requestCount >= max {
            keepAlive = false
        }
        if !keepAlive { acceptsRequests = false }
        var awaitsContinue = false
        if let expectation = head.headers.first(name: "expect"), head.version.minor >= 1 {
            guard expectation.lowercased() == "100-continue" else { return fail(ErrorResponses.expectationFailed(), head: head) }
            awaitsContinue = true
        }
        if let declared = head.headers.first(name: "content-length").flatMap(Int.init), declared > limits.maxBodyBytes {
            return fail(ErrorResponses.bodyTooLarge(limit: limits.maxBodyBytes), head: head)
        }
        receiving = Receiving(head: head, keepAlive: keepAlive, awaitsContinue: awaitsContinue)
        wait(.body)
        if awaitsContinue { drive() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inReadBurst = false
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if !queue.isEmpty || finalResponse != nil || closing {
            heldRead = true
        } else {
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.close(promise: nil)
            return
        }
        if parserError == .headerOverflow {
            fail(ErrorResponses.headersTooLarge(limit: limits.maxHeaderBytes))
        } else {
            fail(ErrorResponses.badRequest("the request is malformed (\(parserError))"))
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is HTTPServerShutdownEvent else {
            return context.fireUserInboundEventTriggered(event)
        }
        shuttingDown = true
        acceptsRequests = false
        receiving = nil
        queue.removeAll()
        // The requests under way are answered; the last response closes the connection.
        if running.isEmpty { close() }
    }

    /// Stops taking requests: `response` goes out after those already owed, then the connection closes.
    private func fail(_ response: HTTPServerResponse, head: HTTPRequestHead? = nil) {
        guard finalResponse == nil, !closing else { return }
        let request = (head ?? receiving?.head).map { head in
            HTTPServerRequest(
                method: head.method.rawValue, target: head.uri, headers: head.headers.map { (name: HTTPServerRequest.lowercasedName($0.name), value: $0.value) },
                body: [], version: head.version.minor == 0 ? .http1_0 : .http1_1, remoteAddress: remoteAddress, isSecure: isSecure)
        }
        acceptsRequests = false
        receiving = nil
        finalResponse = handler.serverResponse(response, for: request)
        drive()
    }

    // MARK: Running requests in order

    /// Starts the requests whose turn it is; sends what is owed once nothing runs.
    private func drive() {
        guard !driving, !closing else { return }
        driving = true
        defer { driving = false }
        while !closing, let next = queue.first, mayStart(next) {
            queue.removeFirst()
            start(next)
        }
        // Every complete request is under way: read on (a slow one ahead need not drain the others first).
        if heldRead, queue.isEmpty, finalResponse == nil, !closing {
            heldRead = false
            context?.read()
        }
        guard running.isEmpty, !closing else { return }
        if let response = finalResponse {
            write(response, version: .http1_1, isHead: false, keepAlive: false)
            return
        }
        if !acceptsRequests && receiving == nil {
            close()
            return
        }
        if receiving?.awaitsContinue == true {
            receiving?.awaitsContinue = false
            writeRaw(HTTP1ResponseEncoder.continueResponse)
        }
        if receiving == nil && deadline.kind == nil { wait(.idle) }
    }

    /// Whether `next` may start now: when nothing runs, or when it and those running are safe and there is room.
    private func mayStart(_ next: Pending) -> Bool {
        guard let first = running.first else { return true }
        // An unsafe request runs alone, so the first running one tells whether any is unsafe.
        return next.isSafe && first.pending.isSafe && running.count < maxPipelined
    }

    private func start(_ pending: Pending) {
        guard let context, let executor else { return }
        let id = nextID
        nextID += 1
        running.append(Running(id: id, pending: pending))
        let eventLoop = context.eventLoop
        let handler = self.handler
        let request = pending.request
        switch handler.start(request, responder: HTTPServerResponder(connection: self, requestID: id, executor: executor)) {
        case .started(let onCancel):
            // It may have answered already (then it is no longer under way).
            setWork(.started(onCancel: onCancel), of: id)
            return
        case .declined:
            break
        }
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        // Runs inline until the handler first suspends (an echo never does), then on this loop.
        let task = Task.immediate(executorPreference: executor) {
            let response = await handler.handle(request)
            if eventLoop.inEventLoop {
                loopBound.value.finish(id, response)
            } else {
                eventLoop.execute { loopBound.value.finish(id, response) }
            }
        }
        setWork(.task(task), of: id)
    }

    /// Where request `id` is in `running`, if it is still under way.
    private func index(of id: Int) -> CircularBuffer<Running>.Index? {
        guard let first = running.first?.id, id >= first, id - first < running.count else { return nil }
        return running.index(running.startIndex, offsetBy: id - first)
    }

    private func setWork(_ work: HTTPServerWork, of id: Int) {
        guard let index = index(of: id) else {
            // Dropped while it started, unanswered (the connection ended): its work stops too.
            if closing && id > writtenThrough { work.cancel() }
            return
        }
        guard running[index].response == nil else { return }
        running[index].work = work
    }

    /// Stops the work of every request under way (the connection closes, or ends before their responses).
    private func cancelRunning() {
        let works = running.compactMap(\.work)
        running.removeAll()
        for work in works { work.cancel() }
    }

    func respond(to requestID: Int, with response: HTTPServerResponse) {
        finish(requestID, response)
    }

    /// Records request `id`'s response; when it is the first one owed, writes it and every one ready after it.
    private func finish(_ id: Int, _ response: HTTPServerResponse) {
        guard !closing, let index = index(of: id), running[index].response == nil else { return }
        running[index].response = response
        running[index].work = nil
        guard index == running.startIndex else { return }
        while let first = running.first, let response = first.response {
            running.removeFirst()
            writtenThrough = first.id
            // Shutting down, the last response owed closes the connection.
            let keepAlive = first.pending.keepAlive && !HTTP1ResponseEncoder.asksToClose(response)
                && !(shuttingDown && running.isEmpty)
            if !keepAlive {
                // Nothing after this response is answered.
                acceptsRequests = false
                cancelRunning()
                queue.removeAll()
            }
            write(response, version: first.pending.request.version, isHead: first.pending.isHead, keepAlive: keepAlive)
            if !keepAlive { return }
        }
        drive()
    }

    // MARK: Writing

    private func write(_ response: HTTPServerResponse, version: HTTPVersion, isHead: Bool, keepAlive: Bool) {
        guard let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: HTTP1ResponseEncoder.capacity(for: response))
        HTTP1ResponseEncoder.encode(response, version: version, isHead: isHead, keepAlive: keepAlive, into: &buffer)
        if keepAlive {
            context.write(wrapOutboundOut(buffer), promise: nil)
            flushSoon()
        } else {
            closing = true
            deadline.clear()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in loopBound.value.close(promise: nil) }
        }
    }

    private func writeRaw(_ bytes: [UInt8]) {
        guard let context else { return }
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
        flushSoon()
    }

    /// Flushes now; or at the end of the read burst when inside one; or at the end of this event-loop turn when
    /// more responses are owed (pipelined requests answered together go out in one write).
    private func flushSoon() {
        if inReadBurst {
            needsFlush = true
        } else if !running.isEmpty {
            needsFlush = true
            guard !flushScheduled, let eventLoop = context?.eventLoop else { return }
            flushScheduled = true
            let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
            eventLoop.execute { loopBound.value.scheduledFlush() }
        } else {
            needsFlush = false
            context?.flush()
        }
    }

    private func scheduledFlush() {
        flushScheduled = false
        guard needsFlush, !inReadBurst else { return }
        needsFlush = false
        context?.flush()
    }

    private func close() {
        guard !closing else { return }
        closing = true
        context?.close(promise: nil)
    }

    // MARK: Timeouts

    private func wait(_ kind: Wait) {
        let timeout: Duration
        switch kind {
        case .idle: timeout = limits.idleTimeout
        case .head: timeout = limits.headerReadTimeout
        case .body: timeout = limits.bodyReadTimeout
        }
        apply(deadline.set(kind, at: .now() + TimeAmount(timeout)))
    }

    private func apply(_ action: ConnectionDeadline<Wait>.TimerAction) {
        switch action {
        case .none:
            return
        case .schedule(let at):
            guard let eventLoop = context?.eventLoop else { return }
            timer?.cancel()
            let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
            timer = eventLoop.scheduleTask(deadline: at) { loopBound.value.timerFired() }
        case .expired(.idle):
            if running.isEmpty && queue.isEmpty && receiving == nil { close() }
        case .expired(.head):
            fail(ErrorResponses.requestTimeout("the request head did not arrive within \(limits.headerReadTimeout)"))
        case .expired(.body):
            fail(ErrorResponses.requestTimeout("the request body did not arrive within \(limits.bodyReadTimeout)"))
        }
    }

    private func timerFired() {
        timer = nil
        apply(deadline.timerFired(now: .now()))
    }
}

/// Confined to its channel's event loop.
@available(*, unavailable)
extension HTTP1ConnectionHandler: Sendable {}
