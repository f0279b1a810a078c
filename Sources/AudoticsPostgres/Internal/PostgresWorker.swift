import Foundation

/// A dedicated thread that owns one pooled connection (through its `WorkerContext`) and runs the jobs of
/// whoever leases it, one at a time, while the callers wait suspended on continuations.
///
/// libpq's blocking calls therefore run only on this thread, never on an event loop or Swift's
/// cooperative pool, and the `PGconn` never changes threads.
final class PostgresWorker: Sendable {
    /// The worker's index in the pool.
    let id: Int
    let queue = JobQueue()
    let canceller = QueryCanceller()

    /// Starts the thread.
    init(id: Int, configuration: PostgresPool.Configuration, counters: PoolCounters) {
        self.id = id
        let queue = self.queue
        let canceller = self.canceller
        Thread.detachNewThread {
            Thread.current.name = "postgres-\(id)"
            let context = WorkerContext(configuration: configuration, canceller: canceller, counters: counters)
            loop: while true {
                switch queue.next(idleTimeout: configuration.idleTimeout) {
                case .run(let job): job(context)
                case .idle: context.close()
                case .stop: break loop
                }
            }
            context.close()
            queue.markExited()
        }
    }

    /// Runs `body` on the worker thread for the holder of `lease` (nil for the pool's own jobs) and
    /// returns its result; cancelling the calling task sends the server a cancel request for the statement, if this
    /// job is still running when it goes out.
    func run<Value: Sendable>(
        lease: UInt64?, _ body: @escaping @Sendable (WorkerContext) throws(PostgresError) -> Value
    ) async throws(PostgresError) -> Value {
        if Task.isCancelled {
            throw PostgresError(code: .queryCanceled, message: "the task was cancelled before the statement was sent")
        }
        let queue = self.queue
        let canceller = self.canceller
        let token = canceller.makeToken()
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, PostgresError>, Never>) in
                let accepted = queue.submit(lease: lease) { context in
                    canceller.begin(token)
                    let result = Result { () throws(PostgresError) -> Value in try body(context) }
                    canceller.end()
                    context.afterJob()
                    continuation.resume(returning: result)
                }
                if !accepted {
                    continuation.resume(returning: .failure(PostgresError(
                        code: .connectionDoesNotExist, message: "the connection's lease ended or the pool was shut down")))
                }
            }
        } onCancel: {
            canceller.cancel(token: token)
        }
        return try result.get()
    }

    /// Queues a job that needs no answer (cleanup after a lease).
    func runDetached(_ job: @escaping JobQueue.Job) {
        _ = queue.submit(lease: nil, job)
    }
}
