import Foundation
internal import CLibPQ
import Synchronization

/// Sends a cancel request (`PQcancel`) for the statement a caller is running on a worker's connection, from
/// any thread: it is how a cancelled Swift task stops its query.
///
/// Every job the worker runs for a caller is marked with a token (`begin(_:)` … `end()`), and a cancel request
/// names the token it is for. The check that the token is still the running one and `PQcancel` happen under
/// one lock, and `end()` takes the same lock: the worker cannot move on to another caller's statement while a
/// cancel request for this one is on its way, so a late cancel never stops someone else's statement.
///
/// The `PGcancel` object is created by the worker thread when it connects and freed when it disconnects,
/// both under the lock; `PQcancel` runs under the same lock, on a thread of its own (it opens a new connection
/// to the server, which blocks), so it never uses a freed object and never blocks the cooperative pool.
final class QueryCanceller: Sendable {
    private struct State {
        /// libpq's cancel object, as an address (`OpaquePointer` is not `Sendable`).
        var object: UInt?
        /// The token of the job running now, if any.
        var running: UInt64?
    }

    private let state = Mutex(State())
    private let lastToken = Atomic<UInt64>(0)

    init() {}

    /// A new token, never given before by this canceller.
    func makeToken() -> UInt64 {
        lastToken.add(1, ordering: .relaxed).newValue
    }

    /// Creates the cancel object for a new connection (on the worker thread).
    func attach(_ connection: OpaquePointer) {
        let object = PQgetCancel(connection).map { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer($0))) }
        let previous = state.withLock { state in
            defer { state.object = object }
            return state.object
        }
        previous.map(Self.free)
    }

    /// Frees the cancel object when the connection closes (on the worker thread).
    func detach() {
        state.withLock { state in
            state.object.map(Self.free)
            state.object = nil
        }
    }

    /// Marks the job with `token` as the one running (on the worker thread).
    func begin(_ token: UInt64) {
        state.withLock { $0.running = token }
    }

    /// Marks that no caller's job runs; waits for a cancel request being sent for the job that ended.
    func end() {
        state.withLock { $0.running = nil }
    }

    /// Asks the server, from a new thread, to cancel the statement of the job with `token` (it fails with
    /// `57014`); nothing is sent unless that job is still running when the request goes out.
    func cancel(token: UInt64) {
        Thread.detachNewThread { [self] in
            state.withLock { state in
                guard state.running == token, let address = state.object, let object = Self.pointer(address) else { return }
                var buffer = [CChar](repeating: 0, count: 256)
                _ = PQcancel(object, &buffer, Int32(buffer.count))
            }
        }
    }

    private static func pointer(_ address: UInt) -> OpaquePointer? {
        OpaquePointer(bitPattern: address)
    }

    private static func free(_ address: UInt) {
        if let object = pointer(address) { PQfreeCancel(object) }
    }
}
