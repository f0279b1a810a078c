public import AudoticsRedis
public import Logging
public import NIOCore
import NIOPosix
import Synchronization

/// The services' way to Redis: a bounded set of pipelined connections, opened lazily, reopened with backoff after
/// Redis restarts, and a circuit breaker so that a dead Redis fails commands at once instead of after a timeout.
///
/// Any number of tasks may call `send` and `pipeline` at the same time; their commands share the connections
/// (see `RedisConfiguration` for the limits). Nothing blocks a thread: connects and replies are awaited on NIO
/// futures. Commands that would change a shared connection for everyone (`SELECT`, `SUBSCRIBE`, blocking pops, …)
/// fail with `invalidCommand`; `MULTI` … `EXEC` works inside one `pipeline`.
///
/// Errors: `connectionFailed` and `timedOut` when Redis did not answer (these count towards the breaker),
/// `unavailable` when the client did not try (breaker open, every connection backing off, shut down),
/// `limitExceeded` when every connection's pipeline is full. Error replies are `RedisReply.error` results.
///
/// Run it with `run()` (cancel to stop) or call `shutdown()`.
public final class RedisClient: Sendable {
    /// The server and limits.
    public let configuration: RedisConfiguration
    private let group: any EventLoopGroup
    private let logger: Logger
    private typealias Pool = RedisPoolStateMachine<RedisConnection, EventLoopPromise<RedisConnection>>
    private let pool: Mutex<Pool>
    private let breaker: Mutex<CircuitBreaker>

    /// Creates a client; nothing connects until the first command. Connections run on `eventLoopGroup`, by default
    /// NIO's shared singleton group.
    public init(configuration: RedisConfiguration, eventLoopGroup: (any EventLoopGroup)? = nil, logger: Logger = Logger(label: "audotics.redis")) {
        self.configuration = configuration
        self.group = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        self.logger = logger
        self.pool = Mutex(Pool(slotCount: configuration.connectionCount))
        self.breaker = Mutex(CircuitBreaker(policy: configuration.circuitBreaker))
    }

    deinit {
        for connection in pool.withLock({ $0.shutDown() }) { connection.close() }
    }

    /// Sends one command and returns its reply, within `timeout` (the configured command timeout when nil).
    public func send(_ command: RESPCommand, timeout: Duration? = nil) async throws(RedisError) -> RedisReply {
        let replies = try await pipeline([command], timeout: timeout)
        guard let reply = replies.first else { throw RedisError(code: .protocolError, message: "no reply for the command") }
        return reply
    }

    /// Sends `commands` back to back on one connection and returns their replies in order, all within `timeout`
    /// (the configured command timeout when nil).
    public func pipeline(_ commands: [RESPCommand], timeout: Duration? = nil) async throws(RedisError) -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        if let refusal = SharedConnectionRules.refusal(for: commands) { throw refusal }
        let admission = breaker.withLock { $0.admit(now: .now) }
        if case .reject(let retryAfter) = admission {
            throw RedisError(
                code: .unavailable,
                message: "Redis failed repeatedly; the circuit breaker is open for another \(retryAfter.roundedUpMilliseconds) ms")
        }
        do {
            let connection = try await connection()
            let replies = try await connection.pipeline(commands, timeout: timeout)
            if breaker.withLock({ $0.recordSuccess() }) { logger.info("Redis answers again; circuit breaker closed") }
            return replies
        } catch {
            record(error, probe: admission == .probe)
            throw error
        }
    }

    /// Keeps the client until the task is cancelled, then shuts it down (for a service group).
    public func run() async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await shutdown()
    }

    /// Closes every connection; commands in flight fail with `connectionFailed`, later ones with `unavailable`.
    public func shutdown() async {
        let connections = pool.withLock { $0.shutDown() }
        for connection in connections { connection.close() }
        for connection in connections { try? await connection.closeFuture.get() }
    }

    /// Whether the circuit breaker currently refuses commands (Redis failed repeatedly).
    public var isCircuitOpen: Bool {
        breaker.withLock { if case .closed = $0.state { false } else { true } }
    }

    // MARK: Internals

    private func record(_ error: RedisError, probe: Bool) {
        let now = ContinuousClock.now
        switch error.code {
        case .connectionFailed, .timedOut:
            if breaker.withLock({ $0.recordFailure(now: now) }) {
                logger.warning("Redis keeps failing; circuit breaker open", metadata: [
                    "redis.endpoint": "\(configuration.endpoint)", "redis.open_for": "\(configuration.circuitBreaker.openDuration)",
                    "error": "\(error)",
                ])
            }
        default:
            if probe { breaker.withLock { $0.probeAbandoned(now: now) } }
        }
    }

    /// A connection to send on: the least loaded open one, or a new one (see `RedisPoolStateMachine`).
    private func connection() async throws(RedisError) -> RedisConnection {
        let group = self.group
        let pick = pool.withLock { pool in
            pool.pick(
                now: .now,
                load: { $0.isActive ? $0.commandsAwaitingReplies : nil },
                makePending: { group.next().makePromise(of: RedisConnection.self) })
        }
        switch pick {
        case .use(let connection):
            return connection
        case .connect(let slot, let attempt, let pending, let meanwhile):
            startConnecting(slot: slot, attempt: attempt, pending: pending)
            if let meanwhile { return meanwhile }
            return try await Self.wait(for: pending)
        case .wait(let pending):
            return try await Self.wait(for: pending)
        case .unavailable(let error):
            throw error
        }
    }

    private static func wait(for pending: EventLoopPromise<RedisConnection>) async throws(RedisError) -> RedisConnection {
        do {
            return try await pending.futureResult.get()
        } catch let error as RedisError {
            throw error
        } catch {
            throw RedisError(code: .connectionFailed, message: "connecting failed", cause: UnderlyingError(error))
        }
    }

    private func startConnecting(slot: Int, attempt: UInt64, pending: EventLoopPromise<RedisConnection>) {
        let configuration = self.configuration
        Task { [weak self] in
            do throws(RedisError) {
                let connection = try await RedisConnection.connect(configuration: configuration, eventLoop: pending.futureResult.eventLoop)
                guard let self, self.pool.withLock({ $0.connected(slot: slot, attempt: attempt, connection: connection) }) else {
                    connection.close()
                    pending.fail(RedisError(code: .unavailable, message: "the Redis client is shut down"))
                    return
                }
                connection.closeFuture.whenComplete { [weak self] _ in
                    self?.pool.withLock { $0.lost(slot: slot, attempt: attempt) }
                }
                self.logger.debug("connected to Redis", metadata: ["redis.endpoint": "\(configuration.endpoint)", "redis.slot": "\(slot)"])
                pending.succeed(connection)
            } catch {
                if let self {
                    let backoff = configuration.reconnectBackoff
                    self.pool.withLock {
                        $0.connectFailed(slot: slot, attempt: attempt, now: .now, backoff: backoff.delay(afterFailures:))
                    }
                    self.logger.warning("cannot connect to Redis", metadata: [
                        "redis.endpoint": "\(configuration.endpoint)", "error": "\(error)",
                    ])
                }
                pending.fail(error)
            }
        }
    }
}
