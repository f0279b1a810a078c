import AudoticsRedis
import NIOCore

/// One Redis connection on its event loop: requests are written in order with one flush per event-loop tick,
/// received bytes go through hiredis's reader (`RESPReader`), and each complete reply answers the oldest request
/// (`RedisConnectionStateMachine`). Everything here runs on the channel's event loop.
final class RedisChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    typealias Waiter = EventLoopPromise<[RedisReply]>

    private var state: RedisConnectionStateMachine<Waiter>
    private let reader: RESPReader
    private let eventLoop: any EventLoop
    private var context: ChannelHandlerContext?
    /// Commands encoded and not yet written; written and flushed once at the end of the tick.
    private var output: ByteBuffer
    private var flushScheduled = false
    private var timer: Scheduled<Void>?

    init(limits: RESPReaderLimits, maximumPipelineDepth: Int, eventLoop: any EventLoop) throws(RedisError) {
        reader = try RESPReader(limits: limits)
        state = RedisConnectionStateMachine(maximumPendingCommands: maximumPipelineDepth)
        self.eventLoop = eventLoop
        output = ByteBufferAllocator().buffer(capacity: 0)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    /// Drops the context: the handler and its context would otherwise keep each other alive.
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: Requests (called on the event loop by `RedisConnection`)

    /// Sends `commandCount` encoded commands as one request; `waiter` gets their replies, in order.
    func send(id: UInt64, encoded: [UInt8], commandCount: Int, deadline: NIODeadline, waiter: Waiter) {
        guard context != nil else {
            waiter.fail(state.closedError ?? RedisError(code: .connectionFailed, message: "the connection to Redis is closed"))
            return
        }
        switch state.enqueue(id: id, commandCount: commandCount, waiter: waiter, deadline: deadline) {
        case .fail(let error):
            waiter.fail(error)
        case .write(let armTimer):
            output.writeBytes(encoded)
            scheduleFlush()
            if let armTimer { arm(armTimer) }
        }
    }

    /// The caller of request `id` stopped waiting; its replies will be skipped.
    func cancel(id: UInt64) {
        state.cancel(id: id)?.fail(RedisError(code: .cancelled, message: "the task awaiting the reply was cancelled"))
    }

    /// Closes the connection; requests in flight fail with `error`.
    func close(_ error: RedisError) {
        fail(error)
        context?.close(promise: nil)
    }

    // MARK: Channel events

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        do {
            try buffer.withUnsafeReadableBytes { (bytes) throws(RedisError) in try reader.feed(bytes) }
            while let reply = try reader.next() {
                switch state.replyReceived(reply) {
                case .none:
                    break
                case .complete(let waiter, let replies):
                    waiter.succeed(replies)
                case .protocolViolation(let error):
                    close(error)
                    return
                }
            }
        } catch {
            // Bytes that are not RESP, or a reply above the limits: the stream cannot be trusted any more.
            close(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(RedisError(code: .connectionFailed, message: "the connection to Redis closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(RedisError(code: .connectionFailed, message: "the connection to Redis failed", cause: UnderlyingError(error)))
    }

    // MARK: Internals

    private func fail(_ error: RedisError) {
        timer?.cancel()
        timer = nil
        for waiter in state.close(error) { waiter.fail(state.closedError ?? error) }
    }

    private func arm(_ deadline: NIODeadline) {
        timer?.cancel()
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        timer = eventLoop.scheduleTask(deadline: deadline) { loopBound.value.timerFired() }
    }

    private func timerFired() {
        timer = nil
        switch state.timerFired(now: .now()) {
        case .none:
            break
        case .rearm(let deadline):
            arm(deadline)
        case .timedOut(let waiters, let error):
            for waiter in waiters { waiter.fail(error) }
            context?.close(promise: nil)
        }
    }

    /// Arranges one write and flush at the end of this event-loop tick, however many requests are queued in it.
    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.execute { loopBound.value.flush() }
    }

    private func flush() {
        flushScheduled = false
        guard let context, output.readableBytes > 0 else { return }
        let bytes = output
        output = context.channel.allocator.buffer(capacity: 0)
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
    }
}
