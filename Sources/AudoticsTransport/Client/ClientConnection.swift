import AudoticsHTTP2
import AudoticsRPC
import NIOCore
import NIOPosix

/// A connection to one endpoint as the channel holds it: safe to share, every operation hops to its event loop.
final class ClientConnection: Identifiable, Sendable {
    /// Unique within the channel; tells a replaced connection's late events apart.
    let id: UInt64
    /// The index of the endpoint in the channel's list.
    let endpointIndex: Int
    /// Where it is connected.
    let endpoint: GRPCEndpoint
    /// `endpoint` as an `:authority` (made once: every call sends it).
    let authority: String
    /// The NIO channel carrying the bytes.
    let channel: any Channel
    /// Runs a call's tasks on the connection's event loop.
    let executor: EventLoopTaskExecutor
    private let handler: NIOLoopBound<ClientConnectionHandler>

    private init(id: UInt64, endpointIndex: Int, endpoint: GRPCEndpoint, channel: any Channel, handler: NIOLoopBound<ClientConnectionHandler>) {
        self.id = id
        self.endpointIndex = endpointIndex
        self.endpoint = endpoint
        authority = endpoint.description
        self.channel = channel
        self.executor = EventLoopTaskExecutor(eventLoop: channel.eventLoop)
        self.handler = handler
    }

    /// Connects to `endpoint`; `onEvent` hears when the connection goes away or closes.
    static func connect(
        id: UInt64, endpointIndex: Int, endpoint: GRPCEndpoint, configuration: GRPCChannelConfiguration,
        group: any EventLoopGroup, onEvent: @escaping @Sendable (ClientConnectionHandler.Event) -> Void
    ) -> EventLoopFuture<ClientConnection> {
        let settings = configuration.http2
        let security = configuration.security
        let keepalive = configuration.keepalive
        return ClientBootstrap(group: group)
            .connectTimeout(configuration.connectTimeout.timeAmount)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    switch security {
                    case .plaintext:
                        break
                    case .tls(let context, let serverHostname):
                        let engine = try context.makeEngine(serverHostname: serverHostname ?? endpoint.host)
                        try channel.pipeline.syncOperations.addHandler(TLSChannelHandler(engine: engine))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        ClientConnectionHandler(
                            settings: settings, keepalive: keepalive, eventLoop: channel.eventLoop, onEvent: onEvent))
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .flatMap { channel in
                channel.eventLoop.submit {
                    let handler = try channel.pipeline.syncOperations.handler(type: ClientConnectionHandler.self)
                    return ClientConnection(
                        id: id, endpointIndex: endpointIndex, endpoint: endpoint, channel: channel,
                        handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
                }
            }
    }

    /// Opens a call's stream with request `headers`.
    ///
    /// - Throws: `ConnectionUnusable` when the connection takes no new calls.
    /// Opens a call's stream; with `onlyRequest`, also sends that message and half-closes, in the same turn.
    func openCall(
        headers: [HPACKHeader], deadline: ContinuousClock.Instant?, options: CallOptions,
        onlyRequest: [UInt8]? = nil
    ) async throws -> ClientCall {
        let handler = self.handler
        let eventLoop = channel.eventLoop
        let metadata = options.responseMetadata
        let maxMessageBytes = options.maxResponseMessageBytes
        let open: @Sendable () throws -> ClientCall = {
            let stream = try handler.value.openStream(
                headers: headers, deadline: deadline, metadata: metadata, maxMessageBytes: maxMessageBytes
            ) { streamID in
                ClientResponseQueue { wireSize in
                    if eventLoop.inEventLoop {
                        handler.value.messageRead(streamID, wireSize: wireSize)
                    } else {
                        eventLoop.execute { handler.value.messageRead(streamID, wireSize: wireSize) }
                    }
                }
            }
            let call = ClientCall(
                streamID: stream.streamID, responses: stream.responses, handler: handler, executor: self.executor,
                framer: GRPCMessageFramer(compression: options.compression))
            if let onlyRequest {
                var framed: [UInt8] = []
                framed.reserveCapacity(GRPCMessageDeframer.prefixLength + onlyRequest.count)
                do {
                    try call.framer.append(onlyRequest, compress: true, into: &framed)
                } catch {
                    call.cancel(RPCError(code: .internal, message: "the request could not be framed", cause: "\(error)"))
                    return call
                }
                // One message: nghttp2 buffers it whatever the window, so the write's back-pressure future is moot.
                _ = handler.value.write(stream.streamID, framed: framed)
                handler.value.finishRequests(stream.streamID)
            }
            return call
        }
        if eventLoop.inEventLoop { return try open() }
        return try await eventLoop.submit(open).get()
    }

    /// Stops taking calls: GOAWAY, then close once the calls in flight are done.
    func beginDraining() {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.beginDraining(sendGoAway: true) }
    }

    /// Closes at once; calls in flight fail with UNAVAILABLE.
    func forceClose() {
        channel.close(promise: nil)
    }
}
