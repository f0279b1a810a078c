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
        var names: [String] = []
        names.reserveCapacity(queries.count)
        for query in queries { names.append(try preparedName(for: query)) }

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
        if let sync = PQgetResult(handle) { PQclear(sync) }
        PQexitPipelineMode(handle)
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
