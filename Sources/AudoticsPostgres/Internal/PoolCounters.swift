import Synchronization

/// Connection open/close counts, failed connection attempts and batched statements, updated by the pool's thread and read by
/// `PostgresPool.statistics`.
final class PoolCounters: Sendable {
    private let counts = Mutex<(opened: Int, closed: Int, batched: Int, failed: Int)>((0, 0, 0, 0))

    func connectionOpened() { counts.withLock { $0.opened += 1 } }
    func connectionClosed() { counts.withLock { $0.closed += 1 } }
    func connectionFailed() { counts.withLock { $0.failed += 1 } }
    func statementsBatched(_ count: Int) { counts.withLock { $0.batched += count } }
    var snapshot: (opened: Int, closed: Int, batched: Int, failed: Int) { counts.withLock { $0 } }
}
