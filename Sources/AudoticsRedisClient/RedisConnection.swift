public import AudoticsRedis
public import NIOCore
import NIOPosix
import Synchronization

/// One TCP connection to Redis, shared by any number of tasks: commands are pipelined (sent without waiting for
/// earlier replies) and replies come back in order, as `RedisReply` values.
///
/// Commands are encoded by hiredis (`RESPCommand`) in the calling task, written by the connection's event loop with
/// one flush per loop tick, and parsed by hiredis's reader within `RESPReaderLimits`. Every request has a timeout;
/// when one passes, the connection closes and every request on it fails (a late reply would answer the wrong
/// command). An error reply (`-ERR …`) is a normal `RedisReply.error` result, not a thrown error.
///
/// Do not send commands that change the connection for everybody (`SELECT`, `SUBSCRIBE`, `MULTI`, blocking pops):
/// `RedisClient` refuses them; a bare connection trusts its caller.
public final class RedisConnection: Sendable {
    /// The server it is connected to.
    public let endpoint: RedisEndpoint
    /// The NIO channel carrying the bytes.
    let channel: any Channel
    private let handler: NIOLoopBound<RedisChannelHandler>
    private let defaultTimeout: Duration
    private let nextRequestID = Atomic<UInt64>(1)
    private let commandsInFlight = Atomic<Int>(0)

    private init(endpoint: RedisEndpoint, channel: any Channel, handler: NIOLoopBound<RedisChannelHandler>, defaultTimeout: Duration) {
        self.endpoint = endpoint
        self.channel = channel
        self.handler = handler
        self.defaultTimeout = defaultTimeout
    }

    /// Connects, then sends `AUTH` and `SELECT` as the endpoint asks; all within `configuration.connectTimeout`.
    /// Commands without their own timeout use `configuration.commandTimeout`. The connection runs on `eventLoop`,
    /// by default one of NIO's shared singleton group.
    public static func connect(
        configuration: RedisConfiguration, eventLoop: (any EventLoop)? = nil
    ) async throws(RedisError) -> RedisConnection {
        let eventLoop = eventLoop ?? MultiThreadedEventLoopGroup.singleton.next()
        let endpoint = configuration.endpoint
        let start = ContinuousClock.now
        let channel: any Channel
        let handler: NIOLoopBound<RedisChannelHandler>
        do {
            let limits = configuration.readerLimits
            let depth = configuration.maximumPipelineDepth
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(.nanoseconds(Int64(configuration.connectTimeout.seconds * 1e9)))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = try RedisChannelHandler(limits: limits, maximumPipelineDepth: depth, eventLoop: channel.eventLoop)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .connect(host: endpoint.host, port: endpoint.port).get()
            handler = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: RedisChannelHandler.self), eventLoop: channel.eventLoop)
            }.get()
        } catch {
            throw RedisError(code: .connectionFailed, message: "cannot connect to \(endpoint)", cause: UnderlyingError(error))
        }
        let connection = RedisConnection(
            endpoint: endpoint, channel: channel, handler: handler, defaultTimeout: configuration.commandTimeout)
        do {
            try await connection.handshake(timeout: configuration.connectTimeout - (ContinuousClock.now - start))
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    /// `AUTH` and `SELECT`, pipelined; each must answer `OK`.
    private func handshake(timeout: Duration) async throws(RedisError) {
        var commands: [(name: String, command: RESPCommand)] = []
        if let password = endpoint.password {
            let arguments = [endpoint.username, password].compactMap { $0 }.map { Array($0.utf8) }
            commands.append(("AUTH", RESPCommand([Array("AUTH".utf8)] + arguments)))
        }
        if endpoint.database != 0 {
            commands.append(("SELECT", RESPCommand("SELECT", String(endpoint.database))))
        }
        guard !commands.isEmpty else { return }
        guard timeout > .zero else {
            throw RedisError(code: .timedOut, message: "connecting to \(endpoint) took longer than the connect timeout")
        }
        let replies = try await pipeline(commands.map(\.command), timeout: timeout)
        for (command, reply) in zip(commands, replies) where reply != .status("OK") {
            // Redis's error text ("WRONGPASS invalid username-password pair") never contains the password.
            throw RedisError(code: .unexpectedReply, message: "\(command.name) was refused by \(endpoint): \(reply.summary)")
        }
    }

    /// Sends one command and waits for its reply, at most `timeout` (the configured command timeout when nil).
    public func send(_ command: RESPCommand, timeout: Duration? = nil) async throws(RedisError) -> RedisReply {
        let replies = try await submit(command.encoded(), commandCount: 1, timeout: timeout)
        guard let reply = replies.first else {
            throw RedisError(code: .protocolError, message: "a request of one command completed without its reply")
        }
        return reply
    }

    /// Sends `commands` back to back in one write and waits for all their replies, in order; `timeout` (the
    /// configured command timeout when nil) covers the whole pipeline. More commands than the connection's pipeline
    /// depth fail with `limitExceeded` before anything is sent.
    public func pipeline(_ commands: [RESPCommand], timeout: Duration? = nil) async throws(RedisError) -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        var encoded: [UInt8] = []
        for command in commands { encoded += try command.encoded() }
        return try await submit(encoded, commandCount: commands.count, timeout: timeout)
    }

    /// Whether the connection is open (it may still fail at any moment).
    public var isActive: Bool { channel.isActive }

    /// Commands sent through this connection whose callers still wait; the pool prefers the least loaded connection.
    public var commandsAwaitingReplies: Int { commandsInFlight.load(ordering: .relaxed) }

    /// Closes the connection; commands in flight fail with `connectionFailed`.
    public func close() {
        let handler = self.handler
        let error = RedisError(code: .connectionFailed, message: "the connection was closed by the client")
        if channel.eventLoop.inEventLoop {
            handler.value.close(error)
        } else {
            channel.eventLoop.execute { handler.value.close(error) }
        }
    }

    /// Completes when the connection has closed, for whatever reason.
    public var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    private func submit(_ encoded: [UInt8], commandCount: Int, timeout: Duration?) async throws(RedisError) -> [RedisReply] {
        let eventLoop = channel.eventLoop
        let handler = self.handler
        let id = nextRequestID.add(1, ordering: .relaxed).newValue
        let deadline = NIODeadline.now() + .nanoseconds(Int64(min((timeout ?? defaultTimeout).seconds, 1e9) * 1e9))
        let promise = eventLoop.makePromise(of: [RedisReply].self)
        commandsInFlight.add(commandCount, ordering: .relaxed)
        defer { commandsInFlight.subtract(commandCount, ordering: .relaxed) }
        if eventLoop.inEventLoop {
            handler.value.send(id: id, encoded: encoded, commandCount: commandCount, deadline: deadline, waiter: promise)
        } else {
            eventLoop.execute {
                handler.value.send(id: id, encoded: encoded, commandCount: commandCount, deadline: deadline, waiter: promise)
            }
        }
        do {
            return try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                eventLoop.execute { handler.value.cancel(id: id) }
            }
        } catch let error as RedisError {
            throw error
        } catch {
            throw RedisError(code: .connectionFailed, message: "the request failed", cause: UnderlyingError(error))
        }
    }
}
