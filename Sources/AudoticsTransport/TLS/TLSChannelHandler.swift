import AudoticsTLS
import NIOCore

/// TLS for a SwiftNIO channel: ciphertext from the socket goes through a `TLSEngine` (OpenSSL over
/// memory BIOs) and plaintext is passed on; plaintext written by the next handler is encrypted.
///
/// Sits first in the pipeline, in front of the HTTP/2 connection handler. Records produced while
/// reading (handshake messages, TLS 1.3 key updates) are written at once; application records are
/// written when the next handler flushes, so writes stay coalesced per event-loop tick. After the
/// handshake the negotiated ALPN protocol must be `h2` (the engine already refuses peers without
/// a shared protocol); anything else closes the connection.
final class TLSChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let engine: TLSEngine
    private var plaintext: [UInt8] = []
    private var ciphertext: [UInt8] = []
    private var handshakeReported = false
    private var closing = false

    init(engine: TLSEngine) {
        self.engine = engine
    }

    func channelActive(context: ChannelHandlerContext) {
        // A client's ClientHello is already queued.
        writeCiphertext(context: context, flush: true)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        do {
            try buffer.withUnsafeReadableBytes { try engine.receive($0) }
            plaintext.removeAll(keepingCapacity: true)
            let result = try engine.readPlaintext(into: &plaintext)
            // Records produced by reading (handshake, key updates, alerts) go out now; usually there are none,
            // and then there is nothing to flush either.
            writeCiphertext(context: context, flush: true, flushWhenEmpty: false)
            if engine.isHandshakeComplete && !handshakeReported {
                handshakeReported = true
                guard engine.negotiatedALPN == "h2" else {
                    context.close(promise: nil)
                    return
                }
            }
            if !plaintext.isEmpty {
                context.fireChannelRead(wrapInboundOut(context.channel.allocator.buffer(bytes: plaintext)))
            }
            if result == .endOfStream {
                context.close(promise: nil)
            }
        } catch {
            // The engine failed for good: send its alert, then close.
            writeCiphertext(context: context, flush: true)
            context.fireErrorCaught(error)
            context.close(promise: nil)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        do {
            try buffer.withUnsafeReadableBytes { try engine.write(plaintext: $0) }
            promise?.succeed(())
        } catch {
            promise?.fail(error)
            context.close(promise: nil)
        }
    }

    func flush(context: ChannelHandlerContext) {
        writeCiphertext(context: context, flush: true)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if !closing, mode == .all, engine.isHandshakeComplete {
            closing = true
            try? engine.shutdown()
            writeCiphertext(context: context, flush: true)
        }
        context.close(mode: mode, promise: promise)
    }

    /// Sends whatever records the engine produced.
    private func writeCiphertext(context: ChannelHandlerContext, flush: Bool, flushWhenEmpty: Bool = true) {
        ciphertext.removeAll(keepingCapacity: true)
        engine.drainCiphertext(into: &ciphertext)
        guard !ciphertext.isEmpty else {
            if flush && flushWhenEmpty { context.flush() }
            return
        }
        let buffer = context.channel.allocator.buffer(bytes: ciphertext)
        if flush {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        } else {
            context.write(wrapOutboundOut(buffer), promise: nil)
        }
    }
}

/// An OpenSSL engine is confined to its channel's event loop.
@available(*, unavailable)
extension TLSChannelHandler: Sendable {}
