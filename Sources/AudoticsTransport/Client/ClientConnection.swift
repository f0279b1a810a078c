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

    /// Opens a call's stream with request `headers`; with `onlyRequest`, also sends that message and
    /// half-closes, in the same turn.
    ///
    /// - Throws: `ConnectionUnusable` when the connection takes no new calls.
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
            if let onlyRequest, let failure = Self.sendOnly(onlyRequest, on: stream.streamID, framer: call.framer, handler: handler.value) {
                call.cancel(failure)
            }
            return call
        }
        if eventLoop.inEventLoop { return try open() }
        return try await eventLoop.submit(open).get()
    }

    /// Opens a unary call's stream from the connection's event loop, sends `request` and half-closes, all in
    /// this turn; `completion` gets the one response message or the call's error, on this loop, once (it may
    /// run before this returns). Returns the stream's ID, to cancel the call with.
    ///
    /// - Throws: `ConnectionUnusable` when the connection takes no new calls (then `completion` never runs).
    func startUnary(
        method: MethodDescriptor, headers: [HPACKHeader], deadline: ContinuousClock.Instant?, options: CallOptions,
        request: [UInt8], completion: @escaping (Result<[UInt8], RPCError>) -> Void
    ) throws -> Int32 {
        let handler = self.handler.value
        let stream = try handler.openStream(
            headers: headers, deadline: deadline, metadata: options.responseMetadata,
            maxMessageBytes: options.maxResponseMessageBytes
        ) { _ in UnaryResponseSink(method: method, completion: completion) }
        if let failure = Self.sendOnly(request, on: stream.streamID, framer: GRPCMessageFramer(compression: options.compression), handler: handler) {
            handler.cancel(stream.streamID, error: failure)
        }
        return stream.streamID
    }

    /// Cancels a call started with `startUnary` (on the connection's event loop): its stream is reset and its
    /// completion gets `error`, unless it already ended.
    func cancelUnary(_ streamID: Int32, error: RPCError) {
        handler.value.cancel(streamID, error: error)
    }

    /// Sends a call's one request message and half-closes; returns the error that fails the call if the
    /// message cannot be framed.
    private static func sendOnly(_ request: [UInt8], on streamID: Int32, framer: GRPCMessageFramer, handler: ClientConnectionHandler) -> RPCError? {
        var framed: [UInt8] = []
        framed.reserveCapacity(GRPCMessageDeframer.prefixLength + request.count)
        do {
            try framer.append(request, compress: true, into: &framed)
        } catch {
            return RPCError(code: .internal, message: "the request could not be framed", cause: "\(error)")
        }
        // One message: nghttp2 buffers it whatever the window, so the write's back-pressure future is moot.
        _ = handler.write(streamID, framed: framed)
        handler.finishRequests(streamID)
        return nil
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
