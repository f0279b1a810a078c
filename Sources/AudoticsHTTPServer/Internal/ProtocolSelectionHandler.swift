import AudoticsTransport
import NIOCore
import NIOHTTP1

/// The first handler after TLS (or the socket): decides which protocol the connection speaks, installs its
/// handlers, and removes itself.
///
/// Over TLS, ALPN decides (`h2`: HTTP/2; `http/1.1` or none: HTTP/1.1), reported by `TLSHandshakeCompletedEvent`.
/// In plaintext, the first bytes decide: the HTTP/2 connection preface (`PRI * HTTP/2.0…`) means h2c with
/// prior knowledge, anything else HTTP/1.x. A connection that has not decided within the header-read timeout
/// (a stalled handshake, a silent client) is closed.
final class ProtocolSelectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The client connection preface of HTTP/2 (RFC 9113 §3.4).
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private let handler: any HTTPServerHandler
    private let configuration: HTTPServerConfiguration
    private let isSecure: Bool
    private var buffered: ByteBuffer?
    private var timer: Scheduled<Void>?
    private var decided = false

    init(handler: any HTTPServerHandler, configuration: HTTPServerConfiguration, isSecure: Bool) {
        self.handler = handler
        self.configuration = configuration
        self.isSecure = isSecure
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: TimeAmount(configuration.limits.headerReadTimeout)) {
            loopBound.value.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let handshake = event as? TLSHandshakeCompletedEvent, !decided {
            select(http2: handshake.applicationProtocol == "h2", context: context)
        } else if event is HTTPServerShutdownEvent {
            // No request has begun: nothing to finish.
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if buffered == nil {
            buffered = bytes
        } else {
            buffered!.writeBuffer(&bytes)
        }
        guard !isSecure, !decided, let received = buffered else { return }
        let count = min(received.readableBytes, Self.preface.count)
        let matches = received.readableBytesView.prefix(count).elementsEqual(Self.preface.prefix(count))
        if !matches {
            select(http2: false, context: context)
        } else if count == Self.preface.count {
            select(http2: true, context: context)
        }
    }

    /// Installs the protocol's handlers after this one, passes on what was read, and leaves.
    private func select(http2: Bool, context: ChannelHandlerContext) {
        decided = true
        timer?.cancel()
        timer = nil
        do {
            let pipeline = context.pipeline.syncOperations
            if http2 {
                try pipeline.addHandler(
                    HTTP2ConnectionHandler(handler: handler, configuration: configuration, isSecure: isSecure), position: .after(self))
            } else {
                let connection = HTTP1ConnectionHandler(handler: handler, limits: configuration.limits, isSecure: isSecure)
                let decoder = HTTPRequestDecoder(
                    leftOverBytesStrategy: .dropBytes, informationalResponseStrategy: .drop,
                    limitConfiguration: HTTP1ConnectionHandler.decoderLimits(configuration.limits))
                try pipeline.addHandlers(
                    [HTTP1ReadWatcher(connection: connection), ByteToMessageHandler(decoder), connection], position: .after(self))
            }
        } catch {
            context.close(promise: nil)
            return
        }
        if let buffered {
            self.buffered = nil
            context.fireChannelRead(wrapInboundOut(buffered))
            context.fireChannelReadComplete()
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

/// Confined to its channel's event loop.
@available(*, unavailable)
extension ProtocolSelectionHandler: Sendable {}
