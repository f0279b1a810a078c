import Foundation
internal import CLibPQ
import Logging

/// Everything the pool loop's thread owns: the connections, the requests waiting for one, the timers. Runs
/// `run()` on that thread and is never touched by another (not `Sendable`).
///
/// Each turn of the loop takes the commands submitted since the last turn, hands waiting work to connections
/// (`dispatch`), pushes what was sent to the sockets, then waits in epoll for answers, new commands or the next
/// timer. Statements of independent callers share connections: a connection carries up to
/// `maxPipelinedStatements` callers' groups at once, each ended by its own sync (see `LoopConnection`).
final class PoolCore {
    let configuration: PostgresPool.Configuration
    let loop: PoolLoop
    let epoll: Epoll
    let counters: PoolCounters
    private var logger: Logger { configuration.logger }

    private var connections: [LoopConnection] = []
    /// Connection attempts under way on connector threads.
    private var connecting = 0
    private var nextConnectionID: UInt64 = 1
    private var nextLeaseID: UInt64 = 0
    private var waitingStatements = FIFO<PoolRequest>()
    private var waitingLeases = FIFO<PoolRequest>()
    /// Requests in the two queues that still wait (the queues also hold answered ones until they reach the head).
    private var liveWaiting = 0
    /// The earliest time a waiting request gives up, or earlier (nil: nobody waits).
    private var nextExpiry: ContinuousClock.Instant?
    private var isShutDown = false
    private var shutdownWaiters: [UnsafeContinuation<Void, Never>] = []
    /// Connections sent to during this turn: flushed, and read for answers libpq already holds, at its end.
    private var touched: [LoopConnection] = []
    /// Connection attempts that failed in a row, and when the next may start: attempts back off (25 ms doubling
    /// to 500 ms) while the server is unreachable, so that a burst of requests does not become a burst of
    /// connection attempts; requests wait for the next attempt within their time limit.
    private var connectFailures = 0
    private var retryConnectAt: ContinuousClock.Instant?
    /// A statement went behind another caller's on a busy connection since connections were last opened.
    private var pipelinedBehindOthers = false
    /// Something was answered at the end of a turn: dispatch again before sleeping.
    private var progressed = false

    private static let shutDownError = PostgresError(code: .connectionDoesNotExist, message: "the pool is shut down")

    init(configuration: PostgresPool.Configuration, loop: PoolLoop, counters: PoolCounters) {
        self.configuration = configuration
        self.loop = loop
        self.epoll = loop.epoll
        self.counters = counters
    }

    // MARK: The loop

    func run() {
        var commands: [PoolCommand] = []
        while true {
            loop.takeCommands(into: &commands)
            for command in commands { handle(command) }
            commands.removeAll(keepingCapacity: true)

            var now = ContinuousClock.now
            runTimers(now: now)
            dispatch(now: now)
            finishTurn()
            publish()
            if isShutDown, connections.isEmpty, connecting == 0 { break }

            now = .now
            var timeout = progressed && liveWaiting > 0 ? 0 : waitMilliseconds(now: now)
            progressed = false
            if timeout != 0, !loop.prepareToSleep() { timeout = 0 }
            epoll.wait(milliseconds: timeout) { event in handle(event) }
            if timeout != 0 { loop.awake() }
        }
        for command in loop.close() {
            switch command {
            case .request(let request): request.complete(.failure(Self.shutDownError))
            case .cancel(let request): request.complete(.failure(PoolRequest.cancelledError))
            case .shutdown(let continuation): continuation?.resume()
            case .release, .connected, .cancelSent: break
            }
        }
        publish()
        for waiter in shutdownWaiters { waiter.resume() }
        shutdownWaiters = []
    }

    /// How long epoll may wait: until the next waiter gives up or idle connection closes (-1: no limit).
    private func waitMilliseconds(now: ContinuousClock.Instant) -> Int32 {
        var wake = nextExpiry
        if liveWaiting > 0, let retryConnectAt { wake = min(wake ?? retryConnectAt, retryConnectAt) }
        for connection in connections where connection.lease == nil && connection.isQuiet {
            let idleUntil = connection.lastUsed.advanced(by: configuration.idleTimeout)
            wake = min(wake ?? idleUntil, idleUntil)
        }
        guard let wake else { return -1 }
        guard let milliseconds = StatementTimeout.milliseconds(from: now, until: wake) else { return 0 }
        return Int32(clamping: milliseconds)
    }

    /// Publishes the counts `PostgresPool.statistics` reports.
    private func publish() {
        let open = connections.count + connecting
        let leased = connections.reduce(0) { $0 + ($1.lease == nil ? 0 : 1) }
        let waiting = liveWaiting
        loop.statistics.withLock { statistics in
            statistics.connections = open
            statistics.leased = leased
            statistics.waiting = waiting
        }
    }

    // MARK: Commands

    private func handle(_ command: PoolCommand) {
        switch command {
        case .request(let request):
            guard case .new = request.place else { return }  // cancelled before it arrived
            if isShutDown { return finish(request, .failure(Self.shutDownError)) }
            if request.lease != nil {
                runLeased(request, now: .now)
            } else if case .lease = request.work {
                enqueue(request, into: &waitingLeases)
            } else {
                enqueue(request, into: &waitingStatements)
            }
        case .cancel(let request):
            cancel(request)
        case .release(let token):
            release(token)
        case .connected(let outcome):
            connected(outcome)
        case .cancelSent(let id):
            guard let connection = connection(id) else { return }
            endCancelling(connection)
        case .shutdown(let continuation):
            if let continuation { shutdownWaiters.append(continuation) }
            shutDown()
        }
    }

    private func enqueue(_ request: PoolRequest, into queue: inout FIFO<PoolRequest>) {
        request.place = .waiting
        queue.append(request)
        liveWaiting += 1
        nextExpiry = min(nextExpiry ?? request.waitUntil, request.waitUntil)
    }

    /// Answers a request the loop holds and forgets where it was.
    private func finish(_ request: PoolRequest, _ outcome: PoolRequest.Outcome) {
        if case .waiting = request.place { liveWaiting -= 1 }
        request.place = .done
        request.complete(outcome)
    }

    private func connection(_ id: UInt64) -> LoopConnection? {
        connections.first { $0.id == id }
    }

    private func cancel(_ request: PoolRequest) {
        switch request.place {
        case .new, .waiting, .held:
            finish(request, .failure(PoolRequest.cancelledWaitingError))
        case .sent(let id):
            guard let connection = connection(id), connection.carries(request) else { return }
            if connection.isAlone(request), !connection.cancelling {
                // Alone on its connection: the server stops it, and its 57014 answers the caller. Housekeeping of
                // ours ahead of it (a SET, a prepare) is answered first, so that the cancel cannot hit that instead.
                connection.cancelling = true
                connection.cancelTarget = request
                cancelIfRunning(connection)
            } else {
                // Behind or among other callers' statements, a cancel request could hit one of theirs: the caller
                // is answered now, and the statement's result is dropped when it comes.
                request.complete(.failure(PoolRequest.cancelledError))
            }
        case .done:
            break
        }
    }

    /// Sends the cancel request for `connection.cancelTarget` once its group is the one running; ends the
    /// cancellation if the target was answered meanwhile.
    private func cancelIfRunning(_ connection: LoopConnection) {
        guard let target = connection.cancelTarget else { return }
        if connection.isRunning(target) {
            connection.cancelTarget = nil
            sendCancelRequest(connection)
        } else if !connection.carries(target) {
            connection.cancelTarget = nil
            endCancelling(connection)
        }
    }

    /// The cancel request went out (or was not needed): the connection takes work again, first the lease holder's
    /// that waited for it.
    private func endCancelling(_ connection: LoopConnection) {
        connection.cancelling = false
        let held = connection.held
        connection.held = []
        for request in held {
            guard case .held = request.place else { continue }
            request.place = .new
            runLeased(request, now: .now)
        }
        progressed = true
    }

    /// Sends the server a cancel request for what `connection` runs, from a thread of its own (`PQcancel` opens a
    /// connection and waits); the connection takes no new work until it has gone out.
    private func sendCancelRequest(_ connection: LoopConnection) {
        guard let object = PQgetCancel(connection.handle) else { return endCancelling(connection) }
        let cancel = CancelObject(pointer: object)
        let (loop, id) = (self.loop, connection.id)
        Thread.detachNewThread {
            var buffer = [CChar](repeating: 0, count: 256)
            _ = PQcancel(cancel.pointer, &buffer, Int32(buffer.count))
            PQfreeCancel(cancel.pointer)
            loop.submit(.cancelSent(connection: id))
        }
    }

    private func release(_ token: LeaseToken) {
        guard let connection = connection(token.connection), connection.lease == token.lease else { return }
        connection.lease = nil
        connection.lastUsed = .now
        progressed = true
        if isShutDown || connection.retiring {
            connection.retiring = true
            if connection.isQuiet { close(connection) }
            return
        }
        // A transaction the holder left open is rolled back (the holder's statements still in flight run first).
        if !connection.isQuiet || connection.transactionStatus != PQTRANS_IDLE {
            guard connection.sendControl(["ROLLBACK"], purpose: .housekeeping) else { return fail(connection) }
            // The rollback may undo a `SET statement_timeout` sent inside the holder's transaction.
            connection.timeout = .unknown
            touch(connection)
        }
    }

    private func shutDown() {
        guard !isShutDown else { return }
        isShutDown = true
        failAllWaiting(Self.shutDownError)
        for connection in connections {
            connection.retiring = true
        }
        for connection in connections where connection.lease == nil && connection.isQuiet {
            close(connection)
        }
    }

    // MARK: Connections

    /// Starts a connection attempt on a connector thread (libpq's connect blocks: DNS, TCP, TLS, authentication,
    /// each host of a multi-host string in turn, bounded by `connect_timeout`).
    private func startConnecting() {
        connecting += 1
        var overrides: [String: String] = [:]
        if configuration.connectionString.options["connect_timeout"] == nil {
            overrides["connect_timeout"] = String(configuration.connectTimeoutSeconds)
        }
        // A server that vanishes without closing the socket (a dead host, a dropped route) is noticed by TCP
        // keep-alives within about a minute, which fails what was in flight, instead of after hours.
        for (keyword, value) in Self.keepalives where configuration.connectionString.options[keyword] == nil {
            overrides[keyword] = value
        }
        let (loop, connectionString, options) = (self.loop, configuration.connectionString, overrides)
        Thread.detachNewThread {
            let result = Result { () throws(PostgresError) -> PostgresConnection in
                try PostgresConnection(connectionString: connectionString, overrides: options)
            }
            loop.submit(.connected(ConnectOutcome(result: result)))
        }
    }

    private static let keepalives = ["keepalives": "1", "keepalives_idle": "30", "keepalives_interval": "10", "keepalives_count": "3"]

    private func connected(_ outcome: ConnectOutcome) {
        connecting -= 1
        progressed = true
        let error: PostgresError
        switch outcome.result {
        case .success(let opened):
            guard !isShutDown else { return }
            do throws(PostgresError) {
                let connection = try LoopConnection(id: nextConnectionID, connection: opened, configuration: configuration)
                nextConnectionID += 1
                guard epoll.add(connection.socket, token: connection.id) else {
                    throw PostgresError(code: .unableToConnect, message: "cannot watch the connection's socket")
                }
                connections.append(connection)
                counters.connectionOpened()
                connectFailures = 0
                return
            } catch let failure {
                error = failure
            }
        case .failure(let failure):
            error = failure
        }
        connectFailures += 1
        counters.connectionFailed()
        retryConnectAt = ContinuousClock.now.advanced(by: .milliseconds(min(500, 25 << min(connectFailures - 1, 5))))
        logger.warning("cannot open a PostgreSQL connection", metadata: ["postgres.sqlstate": "\(error.code)", "error": "\(error.message)"])
        // With no connection to wait for, the requests waiting would only time out: they get the reason now.
        guard connections.isEmpty, connecting == 0 else { return }
        failAllWaiting(error)
    }

    /// Answers every waiting request with `error` and empties the queues.
    private func failAllWaiting(_ error: PostgresError) {
        for queue in [waitingStatements, waitingLeases] {
            for request in queue.elements {
                if case .waiting = request.place { finish(request, .failure(error)) }
            }
        }
        waitingStatements = FIFO()
        waitingLeases = FIFO()
        nextExpiry = nil
    }

    /// Closes a connection that has nothing in flight (anything still in flight, on a forced close, fails).
    private func close(_ connection: LoopConnection) {
        remove(connection, failing: PostgresError(code: .connectionFailure, message: "the connection was closed"))
    }

    /// Closes a connection that failed; everything in flight on it fails with `08006`.
    private func fail(_ connection: LoopConnection) {
        let reason = PostgresConnection.libpqMessage(connection.handle)
        logger.debug("a PostgreSQL connection failed", metadata: ["error": "\(reason)"])
        remove(connection, failing: PostgresError(code: .connectionFailure, message: "the connection to the server was lost: \(reason)"))
    }

    /// Stops watching the connection and drops it (libpq's connection closes with it), failing what it carried.
    private func remove(_ connection: LoopConnection, failing error: PostgresError) {
        guard let index = connections.firstIndex(where: { $0 === connection }) else { return }
        connections.remove(at: index)
        epoll.remove(connection.socket)
        counters.connectionClosed()
        progressed = true
        for group in connection.takeAllGroups() { fail(group, error) }
        for request in connection.held { finish(request, .failure(error)) }
        connection.held = []
    }

    private func fail(_ group: LoopConnection.Group, _ error: PostgresError) {
        if case .request(let request, _, _) = group.purpose { finish(request, .failure(error)) }
    }

    // MARK: Events

    private func handle(_ event: Epoll.Event) {
        guard let connection = connection(event.token) else { return }
        if event.writable, !connection.flush(epoll) { return fail(connection) }
        var answered: [LoopConnection.Group] = []
        let healthy = connection.receive(consume: true, into: &answered)
        deliver(answered, on: connection)
        if !healthy { return fail(connection) }
        if connection.isQuiet, connection.lease == nil, connection.retiring { close(connection) }
    }

    /// Answers the groups a connection finished.
    private func deliver(_ groups: [LoopConnection.Group], on connection: LoopConnection) {
        guard !groups.isEmpty else { return }
        connection.lastUsed = .now
        progressed = true
        for group in groups {
            switch group.purpose {
            case .housekeeping:
                if case .failure = group.results.first { connection.timeout = .unknown }
            case .ping:
                connection.checking = false
                if case .failure = group.results.first { connection.retiring = true }
            case .prepare(let key, let name, let outcome):
                if connection.pendingPrepares[key] === outcome { connection.pendingPrepares[key] = nil }
                if case .failure(let error) = group.results.first ?? .failure(LoopConnection.lost) {
                    outcome.error = error
                    connection.statements.remove(key, ifNamed: name)
                }
            case .request(let request, let shape, let prepares):
                let outcome = Self.answer(group.results, shape: shape, prepares: prepares)
                if case .failure(let error) = outcome, error.code == Self.cachedPlanInvalid {
                    // The statement's result type changed under it (DDL): prepare it anew next time.
                    forgetStatements(of: request, on: connection)
                }
                finish(request, outcome)
            }
        }
        cancelIfRunning(connection)
    }

    /// `0A000`, what a prepared statement gets when DDL changed the type of its result ("cached plan must not
    /// change result type"); it fails so on every use until it is prepared again.
    private static let cachedPlanInvalid = SQLState(rawValue: "0A000")

    private func forgetStatements(of request: PoolRequest, on connection: LoopConnection) {
        let queries: [PostgresQuery]
        switch request.work {
        case .statement(let query): queries = [query]
        case .pipeline(let batch): queries = batch
        default: return
        }
        for query in queries {
            connection.statements.remove(StatementCache.Key(sql: query.sql, types: query.bindings.types))
        }
    }

    private static let noResult = PostgresError(code: .protocolViolation, message: "the statement got no result")

    /// A request's answer from its group's results.
    private static func answer(
        _ results: [Result<PostgresRows, PostgresError>], shape: LoopConnection.Shape, prepares: [LoopConnection.PrepareOutcome]
    ) -> PoolRequest.Outcome {
        if let error = prepares.lazy.compactMap(\.error).first { return .failure(error) }
        switch shape {
        case .one:
            // A failure after the statement's own result is its implicit transaction failing to commit (a deferred
            // constraint, a serialization failure): the statement did not happen.
            for case .failure(let error) in results { return .failure(error) }
            guard let result = results.first else { return .failure(noResult) }
            return result.map(PoolReply.rows)
        case .batch:
            var rows: [PostgresRows] = []
            rows.reserveCapacity(results.count)
            for result in results {
                switch result {
                case .success(let value): rows.append(value)
                case .failure(let error): return .failure(error)
                }
            }
            return .success(.batch(rows))
        case .control(let failure):
            for case .failure(let error) in results { return .failure(error) }
            if let failure { return .failure(failure) }
            return .success(.done)
        case .commit:
            for case .failure(let error) in results { return .failure(error) }
            if case .success(let rows) = results.first, rows.commandTag == "ROLLBACK" {
                return .failure(PostgresError(code: .inFailedTransaction, message: "a statement of the transaction failed; rolled back"))
            }
            return .success(.done)
        }
    }

    private func touch(_ connection: LoopConnection) {
        if !touched.contains(where: { $0 === connection }) { touched.append(connection) }
    }

    /// Flushes what this turn sent, and answers what libpq already read while sending.
    private func finishTurn() {
        guard !touched.isEmpty else { return }
        let connections = touched
        touched.removeAll(keepingCapacity: true)
        for connection in connections {
            if connection.roundPlaced >= 2 || (connection.roundPlaced == 1 && connection.roundBusy) {
                counters.statementsBatched(connection.roundPlaced)
            }
            connection.roundPlaced = 0
            guard self.connection(connection.id) != nil else { continue }
            guard connection.flush(epoll), connection.uncork() else {
                fail(connection)
                continue
            }
            var answered: [LoopConnection.Group] = []
            let healthy = connection.receive(consume: false, into: &answered)
            deliver(answered, on: connection)
            if !healthy {
                fail(connection)
            } else if connection.isQuiet, connection.lease == nil, connection.retiring {
                close(connection)
            }
        }
    }

    // MARK: Timers

    private func runTimers(now: ContinuousClock.Instant) {
        if let expiry = nextExpiry, expiry <= now { expireWaiters(now: now) }
        for connection in connections where connection.lease == nil && connection.isQuiet && !connection.checking {
            if connection.retiring || connection.lastUsed.advanced(by: configuration.idleTimeout) <= now {
                close(connection)
            }
        }
    }

    /// Fails the waiting requests whose time is up with `53300`, and drops answered ones from the queues.
    private func expireWaiters(now: ContinuousClock.Instant) {
        var expired: [PoolRequest] = []
        var next: ContinuousClock.Instant?
        for queue in [waitingStatements, waitingLeases] {
            for request in queue.elements {
                guard case .waiting = request.place else { continue }
                if request.waitUntil <= now {
                    expired.append(request)
                } else {
                    next = min(next ?? request.waitUntil, request.waitUntil)
                }
            }
        }
        nextExpiry = next
        guard !expired.isEmpty else { return }
        let busy = connections.reduce(0) { $0 + ($1.lease != nil || $1.requestGroups > 0 ? 1 : 0) }
        let error = PostgresError(
            code: .tooManyConnections,
            message: "connection pool exhausted: no connection became free in time (\(busy) of "
                + "\(configuration.maxConnections) connections busy, \(liveWaiting - expired.count) more waiting)")
        for request in expired { finish(request, .failure(error)) }
        waitingStatements.removeAll { if case .waiting = $0.place { false } else { true } }
        waitingLeases.removeAll { if case .waiting = $0.place { false } else { true } }
    }

    // MARK: Dispatch

    /// Hands waiting work to connections: leases first (to a connection with nothing in flight, reserving busy
    /// ones to drain when the pool is full), then statements to the least loaded connections; opens connections
    /// while work waits or every connection is busy.
    private func dispatch(now: ContinuousClock.Instant) {
        guard !isShutDown else { return }
        while let request = Self.firstWaiting(&waitingLeases), let connection = pick(now: now, forLease: true) {
            _ = waitingLeases.popFirst()
            grant(request, connection, now: now)
        }
        reserveForLeases()
        while let request = Self.firstWaiting(&waitingStatements), let connection = pick(now: now, forLease: false) {
            _ = waitingStatements.popFirst()
            liveWaiting -= 1
            request.place = .new
            place(request, on: connection, now: now)
        }
        for connection in connections where connection.retiring && connection.isQuiet && connection.lease == nil {
            close(connection)
        }
        openIfNeeded(now: now)
    }

    /// The oldest request of `queue` that still waits, after dropping answered ones from its head.
    private static func firstWaiting(_ queue: inout FIFO<PoolRequest>) -> PoolRequest? {
        while let request = queue.first {
            if case .waiting = request.place { return request }
            _ = queue.popFirst()
        }
        return nil
    }

    /// The connection for the next lease (one with nothing of a caller in flight) or statement (the least loaded
    /// below the pipeline limit; among equals the most recently used, so that spare ones age out). Connections
    /// past their lifetime retire on the way, and one unused past the health-check interval is pinged first.
    private func pick(now: ContinuousClock.Instant, forLease: Bool) -> LoopConnection? {
        var best: LoopConnection?
        for connection in connections {
            guard connection.lease == nil, !connection.checking, !connection.cancelling, !connection.retiring else { continue }
            if forLease {
                guard connection.requestGroups == 0 else { continue }
            } else {
                guard !connection.reserved, connection.requestGroups < configuration.maxPipelinedStatements else { continue }
            }
            if connection.openedAt.advanced(by: configuration.maxLifetime) <= now {
                connection.retiring = true
                continue
            }
            if connection.isQuiet, connection.lastUsed.advanced(by: configuration.healthCheckInterval) <= now {
                ping(connection)
                continue
            }
            guard let current = best else {
                best = connection
                continue
            }
            if forLease, connection.reserved != current.reserved {
                if connection.reserved { best = connection }
            } else if connection.requestGroups < current.requestGroups
                || (connection.requestGroups == current.requestGroups && connection.lastUsed > current.lastUsed)
            {
                best = connection
            }
        }
        return best
    }

    private func ping(_ connection: LoopConnection) {
        connection.checking = true
        guard connection.sendControl([""], purpose: .ping) else { return fail(connection) }
        touch(connection)
    }

    private func grant(_ request: PoolRequest, _ connection: LoopConnection, now: ContinuousClock.Instant) {
        nextLeaseID += 1
        connection.lease = nextLeaseID
        connection.reserved = false
        connection.lastUsed = now
        let token = LeaseToken(connection: connection.id, lease: nextLeaseID)
        liveWaiting -= 1
        request.place = .done
        if !request.complete(.success(.lease(token))) { release(token) }
    }

    /// When the pool is full and leases wait, keeps as many connections reserved (no new statements, so they
    /// drain) as leases wait; frees reservations nobody needs.
    private func reserveForLeases() {
        var waitingLeaseCount = 0
        for request in waitingLeases.elements {
            if case .waiting = request.place { waitingLeaseCount += 1 }
        }
        let full = connections.count + connecting >= configuration.maxConnections
        var wanted = full ? waitingLeaseCount : 0
        for connection in connections where connection.reserved {
            if wanted > 0 { wanted -= 1 } else { connection.reserved = false }
        }
        while wanted > 0 {
            var candidate: LoopConnection?
            for connection in connections where connection.lease == nil && !connection.reserved && !connection.retiring {
                if candidate.map({ connection.requestGroups < $0.requestGroups }) ?? true { candidate = connection }
            }
            guard let candidate else { break }
            candidate.reserved = true
            wanted -= 1
        }
    }

    /// Opens connections while requests wait (one attempt per waiting request), or one when a statement had to
    /// be pipelined behind another caller's, up to `maxConnections`.
    private func openIfNeeded(now: ContinuousClock.Instant) {
        if let retryConnectAt {
            guard retryConnectAt <= now else { return }
            self.retryConnectAt = nil
        }
        let room = configuration.maxConnections - connections.count - connecting
        guard room > 0 else { return }
        var wanted = liveWaiting
        if wanted == 0, pipelinedBehindOthers { wanted = 1 }
        pipelinedBehindOthers = false
        // After a failed attempt, one at a time until one succeeds.
        if connectFailures > 0 { wanted = min(wanted, 1) }
        for _ in 0..<min(room, max(0, wanted - connecting)) { startConnecting() }
    }

    /// Sends a waiting statement or batch on a shared connection.
    private func place(_ request: PoolRequest, on connection: LoopConnection, now: ContinuousClock.Instant) {
        if connection.requestGroups > 0 { pipelinedBehindOthers = true }
        if connection.roundPlaced == 0 { connection.roundBusy = connection.requestGroups > 0 }
        connection.roundPlaced += 1
        // More statements to place in this turn: hold the segments back until its end (libpq writes each group
        // as its sync is queued), so that a connection's groups of one turn reach the server in one segment.
        if liveWaiting > 0 || connection.roundPlaced > 1 { connection.cork() }
        send(request, on: connection, now: now, timeout: true)
    }

    /// Sends a statement or batch on `connection` (with our `statement_timeout` from its deadline first, when
    /// `timeout`), preparing what the connection has not prepared yet.
    private func send(_ request: PoolRequest, on connection: LoopConnection, now: ContinuousClock.Instant, timeout: Bool) {
        let (queries, shape): ([PostgresQuery], LoopConnection.Shape)
        switch request.work {
        case .statement(let query): (queries, shape) = ([query], .one)
        case .pipeline(let batch): (queries, shape) = (batch, .batch)
        default: return finish(request, .failure(PostgresError(code: .internalError, message: "not a statement")))
        }
        connection.lastUsed = now
        touch(connection)
        if timeout {
            do throws(PostgresError) {
                try connection.applyTimeout(request.deadline, now: now)
            } catch {
                finish(request, .failure(error))
                if error.code == .connectionFailure { fail(connection) }
                return
            }
        }
        var prepares: [LoopConnection.PrepareOutcome] = []
        guard let names = connection.preparedNames(for: queries, outcomes: &prepares) else {
            finish(request, .failure(LoopConnection.lost))
            return fail(connection)
        }
        request.place = .sent(connection.id)
        let sent = connection.send(.request(request, shape, prepares: prepares)) { handle in
            zip(queries, names).allSatisfy { LoopConnection.queueExecution(handle, name: $1, $0) }
        }
        if !sent {
            finish(request, .failure(LoopConnection.lost))
            fail(connection)
        }
    }

    /// Runs work of a lease holder on its connection.
    private func runLeased(_ request: PoolRequest, now: ContinuousClock.Instant) {
        guard let token = request.lease, let connection = connection(token.connection) else {
            let during = request.inTransaction ? " during the transaction" : ""
            return finish(request, .failure(PostgresError(code: .connectionFailure, message: "the connection was lost\(during)")))
        }
        guard connection.lease == token.lease else {
            return finish(request, .failure(PostgresError(
                code: .connectionDoesNotExist, message: "the connection's lease ended or the pool was shut down")))
        }
        if connection.cancelling {
            request.place = .held
            connection.held.append(request)
            return
        }
        switch request.work {
        case .statement, .pipeline:
            send(request, on: connection, now: now, timeout: !request.inTransaction)
        case .begin(let level):
            var sql = ["BEGIN ISOLATION LEVEL \(level.rawValue)"]
            if let deadline = request.deadline {
                guard let left = StatementTimeout.milliseconds(from: now, until: deadline) else {
                    return finish(request, .failure(PostgresError(
                        code: .queryCanceled, message: "the deadline passed before the transaction began")))
                }
                sql.append("SET LOCAL statement_timeout = \(left)")
            } else if connection.timeout != .serverDefault {
                sql.append("SET LOCAL statement_timeout = DEFAULT")
            }
            control(request, sql, on: connection)
        case .commit:
            if connection.isQuiet, connection.transactionStatus == PQTRANS_INERROR {
                // COMMIT would roll back silently: roll back, and say why.
                control(request, ["ROLLBACK"], on: connection, failure: PostgresError(
                    code: .inFailedTransaction, message: "a statement of the transaction failed; rolled back"))
            } else {
                control(request, ["COMMIT"], on: connection, shape: .commit)
            }
        case .rollback:
            // After a COMMIT that rolled back, nothing is left to roll back (a ROLLBACK would draw a warning).
            if connection.isQuiet, connection.transactionStatus == PQTRANS_IDLE { return finish(request, .success(.done)) }
            control(request, ["ROLLBACK"], on: connection)
        case .preparedStatementCount:
            finish(request, .success(.count(connection.statements.count)))
        case .lease:
            finish(request, .failure(PostgresError(code: .internalError, message: "a lease cannot be leased")))
        }
    }

    private func control(
        _ request: PoolRequest, _ sql: [String], on connection: LoopConnection, failure: PostgresError? = nil,
        shape: LoopConnection.Shape? = nil
    ) {
        request.place = .sent(connection.id)
        connection.lastUsed = .now
        touch(connection)
        guard connection.sendControl(sql, purpose: .request(request, shape ?? .control(failure: failure), prepares: [])) else {
            finish(request, .failure(LoopConnection.lost))
            return fail(connection)
        }
    }
}

/// libpq's cancel object, handed to the thread that sends the cancel request.
///
/// `@unchecked Sendable`: created by the loop thread and then used (and freed) only by that one thread;
/// `PGcancel` is independent of its connection, so the connection may even close meanwhile.
private struct CancelObject: @unchecked Sendable {
    let pointer: OpaquePointer
}
