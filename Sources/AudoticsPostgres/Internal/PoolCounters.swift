import Synchronization

/// Connection open/close counts, updated by worker threads and read by `PostgresPool.statistics`.
final class PoolCounters: Sendable {
    private let counts = Mutex<(opened: Int, closed: Int)>((0, 0))

    func connectionOpened() { counts.withLock { $0.opened += 1 } }
    func connectionClosed() { counts.withLock { $0.closed += 1 } }
    var snapshot: (opened: Int, closed: Int) { counts.withLock { $0 } }
}
