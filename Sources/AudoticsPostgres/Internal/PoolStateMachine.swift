/// The pool's bookkeeping as a value: which workers exist, which are free, who waits. No I/O, no locks;
/// `PostgresPool` holds it in a `Mutex` and carries out the actions it returns.
struct PoolStateMachine {
    /// What to do for a lease request.
    enum LeaseAction: Equatable {
        /// Lease this free worker.
        case lease(worker: Int)
        /// Start a new worker with this index and lease it.
        case create(worker: Int)
        /// Every worker is leased: wait for a release (or the deadline).
        case wait
        /// The pool is shut down.
        case fail
    }

    /// What to do with a worker given back.
    enum ReleaseAction: Equatable {
        /// Hand it straight to the oldest waiter.
        case handOver(worker: Int, waiter: UInt64)
        /// Nobody waits: it becomes free.
        case makeFree
        /// The pool is shut down: stop it.
        case stop(worker: Int)
    }

    let capacity: Int
    /// Free workers; the most recently used last (reused first, so idle ones age out).
    private(set) var free: [Int] = []
    private(set) var workerCount = 0
    private(set) var leasedCount = 0
    /// Waiters, oldest first.
    private(set) var waiters: [UInt64] = []
    private(set) var isShutDown = false

    init(capacity: Int) {
        precondition(capacity > 0, "a pool needs at least one connection")
        self.capacity = capacity
    }

    /// Whether a lease request now would have to wait (every worker leased, none may be added).
    var wouldWait: Bool { !isShutDown && free.isEmpty && workerCount >= capacity }

    /// A lease request from `waiter`; on `.wait` the waiter is queued.
    mutating func requestLease(waiter: UInt64) -> LeaseAction {
        if isShutDown { return .fail }
        if let worker = free.popLast() {
            leasedCount += 1
            return .lease(worker: worker)
        }
        if workerCount < capacity {
            workerCount += 1
            leasedCount += 1
            return .create(worker: workerCount - 1)
        }
        waiters.append(waiter)
        return .wait
    }

    /// Removes a waiter that timed out or was cancelled; false if it was already served (or never waited).
    mutating func abandonWait(waiter: UInt64) -> Bool {
        guard let index = waiters.firstIndex(of: waiter) else { return false }
        waiters.remove(at: index)
        return true
    }

    /// A worker given back by its holder.
    mutating func release(worker: Int) -> ReleaseAction {
        if isShutDown {
            leasedCount -= 1
            return .stop(worker: worker)
        }
        if !waiters.isEmpty {
            return .handOver(worker: worker, waiter: waiters.removeFirst())
        }
        leasedCount -= 1
        free.append(worker)
        return .makeFree
    }

    /// Shuts down: returns the waiters to fail and the free workers to stop (leased ones stop on release).
    mutating func shutDown() -> (waiters: [UInt64], freeWorkers: [Int]) {
        guard !isShutDown else { return ([], []) }
        isShutDown = true
        defer {
            waiters = []
            free = []
        }
        return (waiters, free)
    }
}
