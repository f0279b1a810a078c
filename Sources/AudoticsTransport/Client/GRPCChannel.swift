import AudoticsHTTP2
import AudoticsHealthAPI
public import AudoticsRPC
public import NIOCore
import NIOPosix
import Synchronization

/// A gRPC client transport over HTTP/2 (nghttp2) on SwiftNIO: typed clients call servers through it.
///
/// A channel connects lazily, on the first call, to each of its endpoints: one HTTP/2 connection per endpoint
/// carries any number of concurrent calls, and calls are spread round robin over the connected endpoints. A
/// connection that fails is retried with exponential backoff and jitter (`ConnectionBackoff`); one that closes
/// or receives GOAWAY (a server restarting) is replaced by the next call. While no endpoint is reachable, calls
/// fail fast with UNAVAILABLE, or wait for a connection when `CallOptions.waitForReady` is set.
///
/// Per call: the deadline (`CallOptions.timeout`) is sent as `grpc-timeout` and also enforced here
/// (DEADLINE_EXCEEDED, and the stream is reset with CANCEL); cancelling the calling task resets the stream and
/// fails the call with CANCELLED; requests respect the server's flow-control window (writers wait), and so do
/// responses (a caller that stops reading stops the server). The call's tasks prefer the connection's event loop
/// as their executor, like server handlers: keep `onResponse` and `requests` free of blocking work.
///
/// With `GRPCChannelConfiguration.healthCheckService`, each connection watches the server's health
/// (`grpc.health.v1.Health/Watch`, as gRPC's client-side health checking does) and calls only go to endpoints
/// whose server reports the service SERVING.
///
/// Close the channel with `close(gracePeriod:)` (or run it with `run()` and cancel that): calls in flight finish,
/// new ones fail with UNAVAILABLE.
public final class GRPCChannel: EventLoopUnaryTransport {
    /// The servers this channel calls, in round-robin order.
    public let endpoints: [GRPCEndpoint]
    /// How it connects.
    public let configuration: GRPCChannelConfiguration
    private let group: any EventLoopGroup
    private typealias StateMachine = ChannelStateMachine<ClientConnection, CheckedContinuation<ChannelPickOutcome<ClientConnection>, Never>>
    private let state: Mutex<StateMachine>
    private let nextID = Atomic<UInt64>(1)
    /// The health-watching task of each connection (with health checking), by connection ID.
    private let healthTasks = Mutex<[UInt64: Task<Void, Never>]>([:])

    /// Creates a channel to one server; nothing connects until the first call.
    public convenience init(
        host: String, port: Int, configuration: GRPCChannelConfiguration = GRPCChannelConfiguration(),
        eventLoopGroup: (any EventLoopGroup)? = nil
    ) {
        self.init(endpoints: [GRPCEndpoint(host: host, port: port)], configuration: configuration, eventLoopGroup: eventLoopGroup)
    }

    /// Creates a channel over one or more endpoints (at least one); nothing connects until the first call.
    /// Connections run on `eventLoopGroup`, by default NIO's shared singleton group.
    public init(
        endpoints: [GRPCEndpoint], configuration: GRPCChannelConfiguration = GRPCChannelConfiguration(),
        eventLoopGroup: (any EventLoopGroup)? = nil
    ) {
        precondition(!endpoints.isEmpty, "a channel needs at least one endpoint")
        self.endpoints = endpoints
        self.configuration = configuration
        self.group = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        self.state = Mutex(StateMachine(endpointCount: endpoints.count))
    }

    deinit {
        // Connections hold the channel weakly; without it nobody would ever close them.
        let (_, connections) = state.withLock { $0.close() }
        for connection in connections { connection.forceClose() }
        for task in healthTasks.withLock({ $0.values }) { task.cancel() }
    }

    public func call<Result>(
        method: MethodDescriptor,
        options: CallOptions,
        requests: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: (RPCAsyncSequence<[UInt8]>) async throws -> Result
    ) async throws -> Result {
        let deadline = options.timeout.map { ContinuousClock.now + $0 }
        let call = try await open(method: method, options: options, deadline: deadline)
        return try await withTaskExecutorPreference(call.executor) {
            try await withTaskCancellationHandler {
                try await Self.run(call, requests: requests, onResponse: onResponse)
            } onCancel: {
                call.cancel(RPCError(code: .cancelled, message: "the call was cancelled"))
            }
        }
    }

    /// A unary call without the streaming machinery: the stream opens with the request and half-closes in one
    /// event-loop turn (one write for headers and message), and the one response is read, with no child task.
    public func unary<Response>(
        method: MethodDescriptor, options: CallOptions, request: [UInt8], decode: ([UInt8]) throws -> Response
    ) async throws -> Response {
        let deadline = options.timeout.map { ContinuousClock.now + $0 }
        let call = try await open(method: method, options: options, deadline: deadline, onlyRequest: request)
        // Already on the connection's loop (a handler running there, like the gateway's through an event-loop
        // affine channel): no executor preference to switch, which would cost a hop through the loop's task
        // queue on the way in and another on the way out, though both executors run on the same thread.
        if call.executor.eventLoop.inEventLoop {
            return try await Self.receiveOnly(call, method: method, decode: decode)
        }
        return try await withTaskExecutorPreference(call.executor) {
            try await Self.receiveOnly(call, method: method, decode: decode)
        }
    }

    /// Starts a unary call from `eventLoop` without a task when a ready connection runs on that loop (an event-loop
    /// affine channel's, for a handler on its own loop); otherwise runs `unary` as a task. See
    /// `EventLoopUnaryTransport`.
    public func startUnary(
        method: MethodDescriptor, options: CallOptions, request: [UInt8], on eventLoop: any EventLoop,
        completion: @escaping (Result<[UInt8], RPCError>) -> Void
    ) -> UnaryCallHandle {
        eventLoop.preconditionInEventLoop()
        let deadline = options.timeout.map { ContinuousClock.now + $0 }
        let (ready, connect) = state.withLock { $0.pickReady() }
        for index in connect { startConnecting(index) }
        if let ready, ready.channel.eventLoop.inEventLoop {
            do {
                let headers = try requestFields(method, options: options, deadline: deadline, connection: ready)
                let streamID = try ready.startUnary(
                    method: method, headers: headers, deadline: deadline, options: options, request: request, completion: completion)
                return UnaryCallHandle(call: .stream(ready, streamID: streamID))
            } catch let error as RPCError {
                completion(.failure(error))
                return UnaryCallHandle(call: .ended)
            } catch {
                // The connection is going away (nothing was sent): the task below picks or makes another.
                connectionLost(ready.endpointIndex, id: ready.id)
            }
        }
        var remaining = options
        if let deadline { remaining.timeout = deadline - ContinuousClock.now }
        let completion = NIOLoopBound(completion, eventLoop: eventLoop)
        let task = Task(executorPreference: EventLoopTaskExecutor(eventLoop: eventLoop)) {
            let outcome: Result<[UInt8], RPCError>
            do {
                outcome = .success(try await self.unary(method: method, options: remaining, request: request) { $0 })
            } catch let error as RPCError {
                outcome = .failure(error)
            } catch {
                outcome = .failure(RPCError(code: .cancelled, message: "the call was cancelled", cause: "\(error)"))
            }
            if eventLoop.inEventLoop {
                completion.value(outcome)
            } else {
                eventLoop.execute { completion.value(outcome) }
            }
        }
        return UnaryCallHandle(call: .task(task))
    }

    /// A unary call's one response, decoded.
    private static func receiveOnly<Response>(
        _ call: ClientCall, method: MethodDescriptor, decode: ([UInt8]) throws -> Response
    ) async throws -> Response {
        try await withTaskCancellationHandler {
            guard let first = try await call.responses.next() else { throw UnaryResponseSink.none(method) }
            guard try await call.responses.next() == nil else {
                let error = UnaryResponseSink.tooMany(method)
                call.cancel(error)
                throw error
            }
            return try decode(first)
        } onCancel: {
            call.cancel(RPCError(code: .cancelled, message: "the call was cancelled"))
        }
    }

    /// Closes the channel: new calls fail with UNAVAILABLE, connections send GOAWAY and close as soon as their
    /// calls in flight are done, or when `gracePeriod` (if any) has passed, failing what is left.
    public func close(gracePeriod: Duration? = nil) async {
        let (waiters, connections) = state.withLock { $0.close() }
        for waiter in waiters { waiter.resume(returning: .retry) }
        // Health watches never end on their own: stop them, or draining connections would wait for them.
        for task in healthTasks.withLock({ tasks in defer { tasks.removeAll() }; return tasks.values }) { task.cancel() }
        for connection in connections { connection.beginDraining() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for connection in connections { try? await connection.channel.closeFuture.get() }
            }
            if let gracePeriod {
                group.addTask {
                    guard (try? await Task.sleep(for: gracePeriod)) != nil else { return }
                    for connection in connections { connection.forceClose() }
                }
            }
            await group.next()
            group.cancelAll()
        }
        for connection in connections { try? await connection.channel.closeFuture.get() }
    }

    /// Keeps the channel open until the task is cancelled, then closes it gracefully (for a service group).
    public func run() async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await close()
    }

    // MARK: Calls

    /// Picks a connection and opens the call's stream on it.
    /// With `onlyRequest`, the stream is opened with that one message and half-closed in the same event-loop
    /// turn, so headers and message leave in one write.
    private func open(
        method: MethodDescriptor, options: CallOptions, deadline: ContinuousClock.Instant?, onlyRequest: [UInt8]? = nil
    ) async throws -> ClientCall {
        let waiterID = nextID.add(1, ordering: .relaxed).newValue
        var attempts = 0
        while true {
            let connection = try await connection(waitForReady: options.waitForReady, waiterID: waiterID, deadline: deadline)
            let headers = try requestFields(method, options: options, deadline: deadline, connection: connection)
            do {
                return try await connection.openCall(headers: headers, deadline: deadline, options: options, onlyRequest: onlyRequest)
            } catch is ConnectionUnusable {
                // The connection is going away: replace it and pick again (nothing was sent).
                connectionLost(connection.endpointIndex, id: connection.id)
                attempts += 1
                if attempts >= 3 {
                    throw RPCError(code: .unavailable, message: "no connection to \(connection.endpoint) takes new calls")
                }
            }
        }
    }

    /// A call's request HPACK fields on `connection`, with the time left until `deadline` as its timeout.
    ///
    /// - Throws: DEADLINE_EXCEEDED when the deadline already passed; INTERNAL for invalid metadata.
    private func requestFields(
        _ method: MethodDescriptor, options: CallOptions, deadline: ContinuousClock.Instant?, connection: ClientConnection
    ) throws(RPCError) -> [HPACKHeader] {
        var timeout: Duration?
        if let deadline {
            timeout = deadline - ContinuousClock.now
            guard timeout! > .zero else {
                throw RPCError(code: .deadlineExceeded, message: "the deadline of \(method) passed before the call started")
            }
        }
        let head = GRPCRequestHead(
            descriptor: method, scheme: configuration.security.scheme,
            authority: configuration.authority ?? connection.authority, timeout: timeout,
            encoding: options.compression, metadata: options.metadata)
        return try Self.fields(of: head, path: method.path)
    }

    /// A request head's HPACK fields, built straight from it: secrets never indexed, per-call values (deadline,
    /// request ID) kept out of the dynamic table.
    static func fields(of head: GRPCRequestHead, path: String) throws(RPCError) -> [HPACKHeader] {
        var fields: [HPACKHeader] = []
        fields.reserveCapacity(head.fieldCountEstimate)
        try head.forEachHeader(path: path) { name, value in
            fields.append(HPACKHeader(
                name: name, value: value, isSensitive: name == "authorization", isIndexable: !HPACKHeader.changesEveryMessage(name)))
        }
        return fields
    }

    /// Waits for a ready connection (round robin), giving up at the deadline or on cancellation.
    private func connection(waitForReady: Bool, waiterID: UInt64, deadline: ContinuousClock.Instant?) async throws -> ClientConnection {
        // The common case, a ready connection: no timer, no suspension.
        let (ready, connect) = state.withLock { $0.pickReady() }
        for index in connect { startConnecting(index) }
        if let ready { return ready }
        // Only a call that waited left anything behind to clear.
        defer { state.withLock { $0.forget(waiterID: waiterID) } }
        let timer = deadline.map { deadline in
            group.next().scheduleTask(in: (deadline - ContinuousClock.now).timeAmount) { [weak self] in
                self?.abandon(waiterID, RPCError(code: .deadlineExceeded, message: "the deadline passed while waiting for a connection"))
            }
        }
        defer { timer?.cancel() }
        return try await withTaskCancellationHandler {
            while true {
                let outcome = await withCheckedContinuation { continuation in
                    let (outcome, connect) = state.withLock {
                        $0.pick(waitForReady: waitForReady, waiterID: waiterID, waiter: continuation)
                    }
                    for index in connect { startConnecting(index) }
                    if let outcome { continuation.resume(returning: outcome) }
                }
                switch outcome {
                case .use(let connection): return connection
                case .fail(let error): throw error
                case .retry: continue
                }
            }
        } onCancel: {
            abandon(waiterID, RPCError(code: .cancelled, message: "the call was cancelled while waiting for a connection"))
        }
    }

    private func abandon(_ waiterID: UInt64, _ error: RPCError) {
        state.withLock { $0.abandon(waiterID: waiterID, error: error) }?.resume(returning: .fail(error))
    }

    /// Runs a call on its stream: requests written by a child task, responses read by `onResponse`.
    static func run<Result>(
        _ call: ClientCall, requests: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: (RPCAsyncSequence<[UInt8]>) async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await requests(RPCWriter(compressing: { try await call.write($0, compress: $1) }))
                    call.finishRequests()
                } catch {
                    // No-op if the call already ended (then writes fail because of it).
                    call.cancel(RPCError(code: .cancelled, message: "the client stopped sending requests", cause: "\(error)"))
                }
            }
            defer {
                // The caller stopped reading before the end: reset the stream.
                if !call.responses.isFinished {
                    call.cancel(RPCError(code: .cancelled, message: "the caller stopped reading the responses"))
                }
                group.cancelAll()
            }
            return try await onResponse(RPCAsyncSequence(wrapping: ClientResponseSequence(queue: call.responses)))
        }
    }

    // MARK: Connections

    private func startConnecting(_ index: Int) {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let endpoint = endpoints[index]
        ClientConnection.connect(
            id: id, endpointIndex: index, endpoint: endpoint, configuration: configuration, group: group
        ) { [weak self] _ in
            // Going away or closed: either way, new calls need a new connection.
            self?.connectionLost(index, id: id)
        }.whenComplete { [weak self] result in
            guard let self else {
                if case .success(let connection) = result { connection.forceClose() }
                return
            }
            switch result {
            case .success(let connection):
                let healthService = self.configuration.healthCheckService
                let (waiters, close) = self.state.withLock {
                    $0.connected(index, connection, healthChecked: healthService != nil)
                }
                if close { connection.beginDraining() }
                if !close, let healthService { self.watchHealth(of: connection, service: healthService) }
                for waiter in waiters { waiter.resume(returning: .retry) }
                // It may have closed before it was recorded as ready.
                if !connection.channel.isActive { self.connectionLost(index, id: id) }
            case .failure(let error):
                let failure = RPCError(code: .unavailable, message: "cannot connect to \(endpoint)", cause: "\(error)")
                let (waiters, failures) = self.state.withLock { $0.connectFailed(index, error: failure) }
                for waiter in waiters { waiter.resume(returning: .retry) }
                if let failures { self.scheduleReconnect(index, after: self.configuration.backoff.delay(afterFailures: failures)) }
            }
        }
    }

    private func scheduleReconnect(_ index: Int, after delay: Duration) {
        group.next().scheduleTask(in: delay.timeAmount) { [weak self] in
            guard let self else { return }
            if self.state.withLock({ $0.backoffElapsed(index) }) { self.startConnecting(index) }
        }
    }

    private func connectionLost(_ index: Int, id: UInt64) {
        healthTasks.withLock { $0.removeValue(forKey: id) }?.cancel()
        if state.withLock({ $0.connectionLost(index, id: id) }) { startConnecting(index) }
    }

    // MARK: Health checking

    /// Watches the health of `service` on `connection` for as long as the connection lives, telling the state
    /// machine whether the endpoint serves (gRFC A17: UNIMPLEMENTED means the server has no Health service and
    /// counts as serving; a watch that ends otherwise counts as not serving until a new watch, started after a
    /// backoff delay, reports again).
    private func watchHealth(of connection: ClientConnection, service: String) {
        let configuration = self.configuration
        let index = connection.endpointIndex
        let id = connection.id
        let task = Task(executorPreference: connection.executor) { [weak self] in
            let client = HealthClient(transport: PinnedConnectionTransport(connection: connection, configuration: configuration))
            var failures = 0
            while !Task.isCancelled, connection.channel.isActive {
                do {
                    try await client.watch(.with { $0.service = service }) { responses in
                        for try await response in responses {
                            failures = 0
                            self?.healthChanged(index, id: id, serving: response.status == .serving)
                        }
                    }
                } catch let error as RPCError where error.code == .unimplemented {
                    self?.healthChanged(index, id: id, serving: true)
                    return
                } catch {
                    // Reported below as not serving; the next attempt waits for the backoff delay.
                }
                guard !Task.isCancelled, connection.channel.isActive else { return }
                self?.healthChanged(index, id: id, serving: false)
                failures += 1
                try? await Task.sleep(for: configuration.backoff.delay(afterFailures: failures))
            }
        }
        healthTasks.withLock { $0[id] = task }
        // The connection may have gone (and been forgotten) before the task was recorded.
        if !connection.channel.isActive { connectionLost(index, id: id) }
    }

    private func healthChanged(_ index: Int, id: UInt64, serving: Bool) {
        for waiter in state.withLock({ $0.healthChanged(index, id: id, serving: serving) }) { waiter.resume(returning: .retry) }
    }
}

/// Runs calls on one connection of a channel, outside its round robin: health checking watches each
/// connection through it.
private struct PinnedConnectionTransport: ClientTransport {
    let connection: ClientConnection
    let configuration: GRPCChannelConfiguration

    func call<Result>(
        method: MethodDescriptor,
        options: CallOptions,
        requests: @escaping @Sendable (RPCWriter<[UInt8]>) async throws -> Void,
        onResponse: (RPCAsyncSequence<[UInt8]>) async throws -> Result
    ) async throws -> Result {
        let head = GRPCRequestHead(
            descriptor: method, scheme: configuration.security.scheme,
            authority: configuration.authority ?? connection.authority, encoding: options.compression,
            metadata: options.metadata)
        let call: ClientCall
        do {
            call = try await connection.openCall(headers: try GRPCChannel.fields(of: head, path: method.path), deadline: nil, options: options)
        } catch is ConnectionUnusable {
            throw RPCError(code: .unavailable, message: "the connection to \(connection.endpoint) takes no new calls")
        }
        return try await withTaskCancellationHandler {
            try await GRPCChannel.run(call, requests: requests, onResponse: onResponse)
        } onCancel: {
            call.cancel(RPCError(code: .cancelled, message: "the call was cancelled"))
        }
    }
}
