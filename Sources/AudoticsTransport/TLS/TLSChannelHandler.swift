public import AudoticsTLS
public import NIOCore

/// TLS for a SwiftNIO channel: ciphertext from the socket goes through a `TLSEngine` (OpenSSL over
/// memory BIOs) and plaintext is passed on; plaintext written by the next handler is encrypted.
///
/// Sits first in the pipeline, in front of the HTTP/2 connection handler (gRPC) or the HTTP server's
/// protocol selection. Records produced while reading (handshake messages, TLS 1.3 key updates) are written
/// at once; application records are written when the next handler flushes, so writes stay coalesced per
/// event-loop tick. When the handshake completes, the negotiated ALPN protocol is checked against
/// `acceptsProtocol` (gRPC accepts `h2` only; anything else closes the connection), and a
/// `TLSHandshakeCompletedEvent` goes down the pipeline before the first plaintext byte, so that a handler
/// can choose the protocol to speak.
public final class TLSChannelHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private let engine: TLSEngine
    private let acceptsProtocol: (String?) -> Bool
    /// The last buffers passed on, reused when nobody else holds them any more (usually by the next read or
    /// flush); a buffer still held elsewhere is copied on write, never changed under its holder.
    private var plaintextBuffer: ByteBuffer?
    private var ciphertextBuffer: ByteBuffer?
    private var handshakeReported = false
    private var closing = false

    /// Creates a handler around `engine` (made for this connection). `acceptsProtocol` judges the ALPN
    /// protocol negotiated (nil: none); by default only `h2` is accepted.
    public init(engine: TLSEngine, acceptsProtocol: @escaping (String?) -> Bool = { $0 == "h2" }) {
        self.engine = engine
        self.acceptsProtocol = acceptsProtocol
    }

    public func channelActive(context: ChannelHandlerContext) {
        // A client's ClientHello is already queued.
        writeCiphertext(context: context)
        context.fireChannelActive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        do {
            try buffer.withUnsafeReadableBytes { try engine.receive($0) }
            // Plaintext is never longer than the ciphertext it came in (plus a record the engine may hold from
            // before): small reads take small buffers, and a connection keeps little memory between calls.
            let chunk = min(Self.recordSize, max(1024, buffer.readableBytes))
            var plaintext = plaintextBuffer.take() ?? context.channel.allocator.buffer(capacity: chunk)
            plaintext.clear()
            let result = try readPlaintext(into: &plaintext, chunk: chunk)
            // Records produced by reading (handshake, key updates, alerts) go out now; usually there are none,
            // and then there is nothing to flush either.
            writeCiphertext(context: context, flushWhenEmpty: false)
            if engine.isHandshakeComplete && !handshakeReported {
                handshakeReported = true
                guard acceptsProtocol(engine.negotiatedALPN) else {
                    context.close(promise: nil)
                    return
                }
                context.fireUserInboundEventTriggered(TLSHandshakeCompletedEvent(applicationProtocol: engine.negotiatedALPN))
            }
            if plaintext.readableBytes > 0 {
                context.fireChannelRead(wrapInboundOut(plaintext))
            }
            if plaintext.capacity <= Self.retainedBufferLimit { plaintextBuffer = plaintext }
            if result == .endOfStream {
                context.close(promise: nil)
            }
        } catch {
            // The engine failed for good: send its alert, then close.
            writeCiphertext(context: context)
            context.fireErrorCaught(error)
            context.close(promise: nil)
        }
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        do {
            try buffer.withUnsafeReadableBytes { try engine.write(plaintext: $0) }
            promise?.succeed(())
        } catch {
            promise?.fail(error)
            context.close(promise: nil)
        }
    }

    public func flush(context: ChannelHandlerContext) {
        writeCiphertext(context: context)
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if !closing, mode == .all, engine.isHandshakeComplete {
            closing = true
            try? engine.shutdown()
            if let last = takeCiphertext(context: context) {
                // Close once the last records (a response, close_notify) reached the socket, not before: closing
                // with writes still pending would drop them.
                let written = context.writeAndFlush(wrapOutboundOut(last))
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                written.whenComplete { _ in loopBound.value.close(mode: mode, promise: promise) }
                return
            }
        }
        context.close(mode: mode, promise: promise)
    }

    /// The largest TLS record's plaintext.
    private static let recordSize = 16 * 1024
    /// Buffers above this size are not kept for the next read or flush (a connection's memory stays small).
    private static let retainedBufferLimit = 64 * 1024

    /// Decrypts everything received so far straight into `buffer`, at least `chunk` bytes of room at a time.
    private func readPlaintext(into buffer: inout ByteBuffer, chunk: Int) throws(TLSError) -> TLSEngine.ReadResult {
        while true {
            var outcome: Result<TLSEngine.ReadResult, TLSError> = .success(.bytes(0))
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: chunk) { bytes in
                outcome = Result { () throws(TLSError) in try engine.readPlaintext(into: bytes) }
                if case .success(.bytes(let count)) = outcome { return count }
                return 0
            }
            let result = try outcome.get()
            guard case .bytes = result else { return result }
        }
    }

    /// Sends and flushes whatever records the engine produced; with nothing to send, flushes only when asked.
    private func writeCiphertext(context: ChannelHandlerContext, flushWhenEmpty: Bool = true) {
        if let buffer = takeCiphertext(context: context) {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        } else if flushWhenEmpty {
            context.flush()
        }
    }

    /// The records the engine produced, in the reused buffer; nil when there are none.
    private func takeCiphertext(context: ChannelHandlerContext) -> ByteBuffer? {
        let pending = engine.pendingCiphertextCount
        guard pending > 0 else { return nil }
        var buffer = ciphertextBuffer.take() ?? context.channel.allocator.buffer(capacity: pending)
        buffer.clear()
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: pending) { engine.drainCiphertext(into: $0) }
        if buffer.capacity <= Self.retainedBufferLimit { ciphertextBuffer = buffer }
        return buffer
    }
}

/// Sent down the pipeline by `TLSChannelHandler` when the handshake completed, before any plaintext.
public struct TLSHandshakeCompletedEvent: Sendable, Hashable {
    /// The ALPN protocol negotiated (`h2`, `http/1.1`), or nil when the peers negotiated none.
    public var applicationProtocol: String?

    /// Creates the event.
    public init(applicationProtocol: String?) {
        self.applicationProtocol = applicationProtocol
    }
}

/// An OpenSSL engine is confined to its channel's event loop.
@available(*, unavailable)
extension TLSChannelHandler: Sendable {}
