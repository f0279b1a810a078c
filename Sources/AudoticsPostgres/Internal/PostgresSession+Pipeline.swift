#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
internal import CLibPQ

extension PostgresSession {
    /// Runs `queries` in libpq's pipeline mode: every statement is sent before any result is read, with
    /// one sync at the end, so the batch costs one round trip (plus one per statement never prepared before).
    ///
    /// Outside a transaction the batch is one implicit transaction: if a statement fails, the rest are not
    /// run, nothing is committed, and the first error is thrown.
    func pipeline(_ queries: [PostgresQuery]) throws(PostgresError) -> [PostgresRows] {
        guard !queries.isEmpty else { return [] }
        try makeRoom(for: queries)
        var names: [String] = []
        names.reserveCapacity(queries.count)
        for query in queries { names.append(try preparedName(for: query, clearingWhenFull: false)) }

        guard PQenterPipelineMode(handle) == 1 else { throw libpqFailure("cannot enter pipeline mode") }
        // Sending stays non-blocking so the server's results can be read while a long batch is written
        // (both sides blocked on full socket buffers would otherwise deadlock).
        PQsetnonblocking(handle, 1)
        var sendFailure: PostgresError?
        for (query, name) in zip(queries, names) {
            let sent = query.bindings.withParameterArrays { count, values, lengths, formats in
                PQsendQueryPrepared(handle, name, count, values, lengths, formats, 1)
            }
            if sent != 1 {
                sendFailure = libpqFailure("cannot queue a pipelined statement")
                break
            }
        }
        if sendFailure == nil, PQpipelineSync(handle) != 1 { sendFailure = libpqFailure("cannot queue the pipeline sync") }
        if sendFailure == nil { sendFailure = flushReadingAlong() }
        PQsetnonblocking(handle, 0)
        if let sendFailure {
            // The connection's protocol state is unknown now: the worker drops it.
            poison()
            throw sendFailure
        }

        var results: [PostgresRows] = []
        var firstError: PostgresError?
        for _ in queries {
            do throws(PostgresError) {
                results.append(try nextQueryResult())
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        // The sync's own result ends the pipeline.
        let sync = PQgetResult(handle)
        let inStep = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
        if let sync { PQclear(sync) }
        // Results out of step with the statements, or a pipeline that will not end: the worker drops the connection.
        if !inStep || PQexitPipelineMode(handle) != 1 { poison() }
        lastUsed = .now
        if let firstError { throw firstError }
        return results
    }

    /// One statement's result, then the nil that ends it.
    private func nextQueryResult() throws(PostgresError) -> PostgresRows {
        let result = PQgetResult(handle)
        defer {
            if let result { PQclear(result) }
            if result != nil, let trailing = PQgetResult(handle) { PQclear(trailing) }
        }
        return try ResultReader.read(result, connection: handle)
    }

    /// Flushes the output buffer, consuming input while waiting so that the server never blocks on us.
    private func flushReadingAlong() -> PostgresError? {
        let socket = PQsocket(handle)
        while true {
            switch PQflush(handle) {
            case 0: return nil
            case 1: break
            default: return libpqFailure("cannot send the pipeline")
            }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN | POLLOUT), revents: 0)
            guard poll(&descriptor, 1, -1) >= 0 || errno == EINTR else { return libpqFailure("cannot wait for the socket") }
            if descriptor.revents & Int16(POLLIN) != 0, PQconsumeInput(handle) == 0 {
                return libpqFailure("cannot read while sending the pipeline")
            }
        }
    }

    /// Closes the socket's protocol state when sending failed midway, so the connection is never reused.
    private func poison() {
        if PQpipelineStatus(handle) != PQ_PIPELINE_OFF { _ = PQexitPipelineMode(handle) }
        poisoned = true
    }

    private func libpqFailure(_ what: String) -> PostgresError {
        PostgresError(
            code: isConnected ? .protocolViolation : .connectionFailure,
            message: "\(what): \(PostgresConnection.libpqMessage(handle))")
    }
}

extension PostgresSession {
    /// Runs independent statements in one round trip: libpq's pipeline mode with a sync after each statement, so
    /// each runs in its own implicit transaction and gets its own result or error (a failure affects no other).
    /// Statements never prepared on this connection are prepared first, a round trip each.
    func executeEach(_ queries: [PostgresQuery]) -> [Result<PostgresRows, PostgresError>] {
        var results = [Result<PostgresRows, PostgresError>?](repeating: nil, count: queries.count)
        do throws(PostgresError) {
            try makeRoom(for: queries)
        } catch {
            return queries.map { _ in .failure(error) }
        }
        var sending: [(index: Int, name: String)] = []
        sending.reserveCapacity(queries.count)
        for (index, query) in queries.enumerated() {
            do throws(PostgresError) {
                sending.append((index, try preparedName(for: query, clearingWhenFull: false)))
            } catch {
                results[index] = .failure(error)
            }
        }
        guard !sending.isEmpty else { return results.map { $0 ?? .failure(Self.noResult) } }

        var sendFailure: PostgresError?
        if PQenterPipelineMode(handle) != 1 {
            sendFailure = libpqFailure("cannot enter pipeline mode")
        } else {
            // Non-blocking while sending, as in `pipeline(_:)`.
            PQsetnonblocking(handle, 1)
            for (index, name) in sending {
                let sent = queries[index].bindings.withParameterArrays { count, values, lengths, formats in
                    PQsendQueryPrepared(handle, name, count, values, lengths, formats, 1)
                }
                if sent != 1 || PQpipelineSync(handle) != 1 {
                    sendFailure = libpqFailure("cannot queue a pipelined statement")
                    break
                }
            }
            if sendFailure == nil { sendFailure = flushReadingAlong() }
            PQsetnonblocking(handle, 0)
        }
        if let sendFailure {
            poison()
            for (index, _) in sending { results[index] = .failure(sendFailure) }
            return results.map { $0 ?? .failure(Self.noResult) }
        }
        var outOfStep = false
        for (index, _) in sending {
            guard !outOfStep else {
                results[index] = .failure(libpqFailure("the pipeline's results are out of step"))
                continue
            }
            results[index] = Result { () throws(PostgresError) -> PostgresRows in try nextQueryResult() }
            // This statement's sync; anything else means the results no longer line up with the statements.
            let sync = PQgetResult(handle)
            if PQresultStatus(sync) != PGRES_PIPELINE_SYNC { outOfStep = true }
            if let sync { PQclear(sync) }
        }
        if outOfStep || PQexitPipelineMode(handle) != 1 {
            // The connection's protocol state is unknown: the worker drops it.
            poison()
        }
        lastUsed = .now
        return results.map { $0 ?? .failure(Self.noResult) }
    }

    /// What a statement without a result would get (never: every statement is given one).
    static let noResult = PostgresError(code: .protocolViolation, message: "the statement got no result")

    /// Whether the `statement_timeout` in force can stand for a statement with `deadline` (no `SET` needed).
    func timeoutStands(for deadline: ContinuousClock.Instant?) -> Bool {
        guard let deadline else { return timeoutMilliseconds == nil }
        guard let current = timeoutMilliseconds, let left = try? Self.milliseconds(until: deadline) else { return false }
        return Self.timeout(current, fits: left)
    }
}

extension WorkerContext {
    /// Runs independent statements, each outside any transaction with `statement_timeout` from its deadline,
    /// and returns one result per statement, in order. The timeout of the first statement not yet run is put in
    /// force, and every remaining statement it fits goes to the server with it (`executeEach`): one round trip
    /// for the group. Statements of a group run in their order in the batch.
    func runStatements(_ statements: [(query: PostgresQuery, deadline: ContinuousClock.Instant?)]) -> [Result<PostgresRows, PostgresError>] {
        let session: PostgresSession
        do throws(PostgresError) {
            session = try readySession(inTransaction: false)
        } catch {
            return statements.map { _ in .failure(error) }
        }
        var results = [Result<PostgresRows, PostgresError>?](repeating: nil, count: statements.count)
        var pending = Array(statements.indices)
        while let head = pending.first {
            guard session.isConnected else {
                let lost = PostgresError(code: .connectionFailure, message: "the connection was lost during the batch")
                for index in pending { results[index] = .failure(lost) }
                break
            }
            do throws(PostgresError) {
                try session.applyTimeout(statements[head].deadline)
            } catch {
                results[head] = .failure(error)
                pending.removeFirst()
                continue
            }
            var group = [head]
            var rest: [Int] = []
            for index in pending.dropFirst() {
                if session.timeoutStands(for: statements[index].deadline) { group.append(index) } else { rest.append(index) }
            }
            pending = rest
            if group.count == 1 {
                let query = statements[head].query
                results[head] = Result { () throws(PostgresError) -> PostgresRows in try session.execute(query) }
            } else {
                for (index, result) in zip(group, session.executeEach(group.map { statements[$0].query })) { results[index] = result }
                counters.statementsBatched(group.count)
            }
        }
        return results.map { $0 ?? .failure(PostgresSession.noResult) }
    }
}
