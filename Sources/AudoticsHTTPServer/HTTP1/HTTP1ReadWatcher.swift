import NIOCore

/// Tells the HTTP/1 connection handler that bytes arrived, before the decoder sees them: the decoder only
/// reports a head once it is complete, and the header-read timeout starts at a request's first byte.
final class HTTP1ReadWatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The handler to tell; weak, as the pipeline owns both.
    weak var connection: HTTP1ConnectionHandler?

    init(connection: HTTP1ConnectionHandler) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connection?.bytesReceived()
        context.fireChannelRead(data)
    }
}

/// Confined to its channel's event loop.
@available(*, unavailable)
extension HTTP1ReadWatcher: Sendable {}
