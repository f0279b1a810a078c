extension PostgresPool {
    /// Leases a worker, waiting until the earlier of `deadline` and `acquireTimeout`.
    func acquire(deadline: ContinuousClock.Instant?) async throws(PostgresError) -> (PostgresWorker, UInt64) {
        let limit = ContinuousClock.now.advanced(by: configuration.acquireTimeout)
        let waitUntil = deadline.map { min($0, limit) } ?? limit
        let id = state.withLock { state in
            state.nextID += 1
            state.starting.insert(state.nextID)
            return state.nextID
        }
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<PostgresWorker, PostgresError>, Never>) in
                startLease(id: id, waitUntil: waitUntil, continuation: continuation)
            }
        } onCancel: {
            abandon(waiter: id, error: PostgresError(code: .queryCanceled, message: "cancelled while waiting for a pooled connection"))
        }
        let worker = try result.get()
        worker.queue.setLease(id)
        return (worker, id)
    }

    private func startLease(
        id: UInt64, waitUntil: ContinuousClock.Instant,
        continuation: CheckedContinuation<Result<PostgresWorker, PostgresError>, Never>
    ) {
        let outcome: Result<PostgresWorker, PostgresError>? = state.withLock { state in
            state.starting.remove(id)
            if state.cancelled.remove(id) != nil {
                return .failure(PostgresError(code: .queryCanceled, message: "cancelled while waiting for a pooled connection"))
            }
            switch state.machine.requestLease(waiter: id) {
            case .lease(let index):
                return .success(state.workers[index])
            case .create(let index):
                let worker = PostgresWorker(id: index, configuration: configuration, counters: counters)
                state.workers.append(worker)
                return .success(worker)
            case .fail:
                return .failure(Self.shutDownError)
            case .wait:
                let timer = Task { [weak self] in
                    try? await Task.sleep(until: waitUntil)
                    guard !Task.isCancelled, let self else { return }
                    self.abandon(waiter: id, error: self.exhaustedError())
                }
                state.waiters[id] = Waiter(continuation: continuation, timer: timer)
                return nil
            }
        }
        if let outcome { continuation.resume(returning: outcome) }
    }

    /// Fails a waiting request (deadline or cancellation), if it is still waiting.
    func abandon(waiter id: UInt64, error: PostgresError) {
        let waiter: Waiter? = state.withLock { state in
            guard state.machine.abandonWait(waiter: id) else {
                // Cancelled before it started waiting: remember, so that it does not start.
                if state.starting.contains(id) { state.cancelled.insert(id) }
                return nil
            }
            return state.waiters.removeValue(forKey: id)
        }
        guard let waiter else { return }
        waiter.timer?.cancel()
        waiter.continuation.resume(returning: .failure(error))
    }

    /// Gives a worker back: it first cleans up on its thread, then goes to the oldest waiter or the free list.
    func release(_ worker: PostgresWorker) {
        worker.queue.setLease(nil)
        worker.runDetached { context in context.resetAfterLease() }
        let (action, waiter): (PoolStateMachine.ReleaseAction, Waiter?) = state.withLock { state in
            let action = state.machine.release(worker: worker.id)
            if case .handOver(_, let id) = action { return (action, state.waiters.removeValue(forKey: id)) }
            return (action, nil)
        }
        switch action {
        case .handOver:
            waiter?.timer?.cancel()
            waiter?.continuation.resume(returning: .success(worker))
        case .makeFree:
            break
        case .stop:
            worker.queue.stop()
        }
    }

    /// The `53300` error for a request that waited its full time.
    func exhaustedError() -> PostgresError {
        let (leased, waiting) = state.withLock { ($0.machine.leasedCount, $0.machine.waiters.count) }
        return PostgresError(
            code: .tooManyConnections,
            message: "connection pool exhausted: no connection became free in time (\(leased) of "
                + "\(configuration.maxConnections) leased, \(waiting) waiting)")
    }
}
