extension PostgresPool {
    /// Leases a worker, waiting until the earlier of `deadline` and `acquireTimeout`.
    func acquire(deadline: ContinuousClock.Instant?) async throws(PostgresError) -> (PostgresWorker, UInt64) {
        // The common case, a free connection, needs no suspension (a continuation resumed at once would still
        // send the task through its executor's queue once more).
        let immediate: Result<(PostgresWorker, UInt64), PostgresError>? = state.withLock { state in
            guard !state.machine.wouldWait else { return nil }
            state.nextID += 1
            let id = state.nextID
            switch state.machine.requestLease(waiter: id) {
            case .lease(let index): return .success((state.workers[index], id))
            case .create(let index): return .success((createWorker(index: index, in: &state), id))
            case .fail: return .failure(Self.shutDownError)
            case .wait: preconditionFailure("a lease waited although the state machine said it would not")
            }
        }
        if let immediate {
            let (worker, id) = try immediate.get()
            worker.queue.setLease(id)
            return (worker, id)
        }
        let (id, waitUntil) = registerRequest(deadline: deadline)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<PostgresWorker, PostgresError>, Never>) in
                startLease(id: id, waitUntil: waitUntil) { continuation.resume(returning: $0) }
            }
        } onCancel: {
            abandon(waiter: id, error: PostgresError(code: .queryCanceled, message: "cancelled while waiting for a pooled connection"))
        }
        let worker = try result.get()
        worker.queue.setLease(id)
        return (worker, id)
    }

    /// A new request's ID, entered in `state.starting`, and how long it may wait for a worker: until the earlier
    /// of `deadline` and `acquireTimeout` from now.
    func registerRequest(deadline: ContinuousClock.Instant?) -> (id: UInt64, waitUntil: ContinuousClock.Instant) {
        let limit = ContinuousClock.now.advanced(by: configuration.acquireTimeout)
        let id = state.withLock { state in
            state.nextID += 1
            state.starting.insert(state.nextID)
            return state.nextID
        }
        return (id, deadline.map { min($0, limit) } ?? limit)
    }

    /// Leases a worker to the request `id` (already in `state.starting`): now if one is free, else when one is
    /// released to it; `deliver` gets the worker or the failure, exactly once.
    func startLease(
        id: UInt64, waitUntil: ContinuousClock.Instant, statement: StatementJob? = nil,
        deliver: @escaping @Sendable (Result<PostgresWorker, PostgresError>) -> Void
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
                return .success(createWorker(index: index, in: &state))
            case .fail:
                return .failure(Self.shutDownError)
            case .wait:
                state.waiters[id] = Waiter(deliver: deliver, statement: statement, waitUntil: waitUntil)
                if state.timerWakesAt.map({ waitUntil < $0 }) ?? true { startTimer(at: waitUntil, in: &state) }
                return nil
            }
        }
        if let outcome { deliver(outcome) }
    }

    /// Starts the worker the state machine asked for; it takes the next index in `workers`.
    private func createWorker(index: Int, in state: inout State) -> PostgresWorker {
        assert(index == state.workers.count, "workers are created in index order")
        let worker = PostgresWorker(id: index, configuration: configuration, counters: counters)
        state.workers.append(worker)
        return worker
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
        waiter.deliver(.failure(error))
    }

    /// (Re)starts the one timer task of the pool, to wake at `instant`. A task per waiter cost a task start and
    /// a cancellation (two wake-ups of the cooperative pool) for nearly every lease under load; waiters mostly
    /// arrive with later time limits than those before them, so the timer is rarely restarted.
    private func startTimer(at instant: ContinuousClock.Instant, in state: inout State) {
        state.timer?.cancel()
        state.timerWakesAt = instant
        state.timer = Task { [weak self] in
            var wakeAt = instant
            while true {
                guard (try? await Task.sleep(until: wakeAt)) != nil, let self else { return }
                guard let next = self.expireWaiters() else { return }
                wakeAt = next
            }
        }
    }

    /// Fails the waiters whose time is up; returns when the timer should wake next (nil: nobody waits, the
    /// timer ends).
    private func expireWaiters() -> ContinuousClock.Instant? {
        let now = ContinuousClock.now
        let (expired, next): ([Waiter], ContinuousClock.Instant?) = state.withLock { state in
            var expired: [Waiter] = []
            var next: ContinuousClock.Instant?
            for (id, waiter) in state.waiters {
                if waiter.waitUntil <= now {
                    if state.machine.abandonWait(waiter: id), let removed = state.waiters.removeValue(forKey: id) {
                        expired.append(removed)
                    }
                } else {
                    next = min(next ?? waiter.waitUntil, waiter.waitUntil)
                }
            }
            state.timerWakesAt = next
            if next == nil { state.timer = nil }
            return (expired, next)
        }
        if !expired.isEmpty {
            let error = exhaustedError()
            for waiter in expired { waiter.deliver(.failure(error)) }
        }
        return next
    }

    /// Gives a worker back: it first cleans up on its thread (unless the lease's last job already did, `cleaned`),
    /// then goes to the oldest waiter or the free list.
    func release(_ worker: PostgresWorker, cleaned: Bool = false) {
        worker.queue.setLease(nil)
        if !cleaned { worker.runDetached { context in context.resetAfterLease() } }
        let (action, waiter): (PoolStateMachine.ReleaseAction, Waiter?) = state.withLock { state in
            let action = state.machine.release(worker: worker.id)
            if case .handOver(_, let id) = action { return (action, state.waiters.removeValue(forKey: id)) }
            return (action, nil)
        }
        switch action {
        case .handOver:
            waiter?.deliver(.success(worker))
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
