import Foundation

/// The hand-over point between callers and one worker thread: jobs in, one at a time, in order.
///
/// `@unchecked Sendable`: every stored property is read and written only while holding `condition`
/// (an `NSCondition`, i.e. a mutex with a condition variable), which the worker thread waits on.
final class JobQueue: @unchecked Sendable {
    /// A unit of work, run on the worker thread with its thread-confined context.
    typealias Job = @Sendable (WorkerContext) -> Void

    /// What the worker thread should do next.
    enum Next {
        case run(Job)
        /// Nothing happened for the idle timeout while the worker was not leased.
        case idle
        case stop
    }

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var stopping = false
    private var lease: UInt64?
    private var lastActivity = ContinuousClock.now
    private var exitWaiters: [CheckedContinuation<Void, Never>] = []
    private var exited = false

    /// Queues `job` if `lease` is the current lease (nil: a pool-internal job) and the worker is not stopping.
    func submit(lease: UInt64?, _ job: @escaping Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping, lease == nil || lease == self.lease else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Marks the worker leased under `lease`, or free (nil).
    func setLease(_ lease: UInt64?) {
        condition.lock()
        self.lease = lease
        lastActivity = .now
        condition.unlock()
    }

    /// Whether `lease` is the current lease.
    func isCurrent(lease: UInt64) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return self.lease == lease
    }

    /// Refuses new jobs; the thread stops once the queued ones ran.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    /// Blocks the worker thread until there is a job, the worker has been free for `idleTimeout`, or it must stop.
    func next(idleTimeout: Duration) -> Next {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if head < jobs.count {
                let job = jobs[head]
                head += 1
                if head == jobs.count {
                    jobs.removeAll(keepingCapacity: true)
                    head = 0
                }
                lastActivity = .now
                return .run(job)
            }
            if stopping { return .stop }
            let idleFor = lastActivity.duration(to: .now)
            if lease == nil, idleFor >= idleTimeout {
                lastActivity = .now
                return .idle
            }
            let wait = lease == nil ? idleTimeout - idleFor : idleTimeout
            let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) * 1e-18
            _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
        }
    }

    /// Called by the worker thread as it ends: wakes everyone waiting in `waitForExit()`.
    func markExited() {
        condition.lock()
        exited = true
        let waiters = exitWaiters
        exitWaiters = []
        condition.unlock()
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends until the worker thread has ended.
    func waitForExit() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if exited {
                condition.unlock()
                continuation.resume()
            } else {
                exitWaiters.append(continuation)
                condition.unlock()
            }
        }
    }
}
