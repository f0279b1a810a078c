import Foundation
internal import CLibPQ
import Synchronization

/// Sends a cancel request (`PQcancel`) for whatever statement a worker's connection is running, from any
/// thread: it is how a cancelled Swift task stops its query.
///
/// The `PGcancel` object is created by the worker thread when it connects and freed when it disconnects,
/// both under `lock`; `PQcancel` runs under the same lock, on a thread of its own (it opens a new connection
/// to the server, which blocks), so it never uses a freed object and never blocks the cooperative pool.
final class QueryCanceller: Sendable {
    /// libpq's cancel object, as an address (`OpaquePointer` is not `Sendable`); used only under `lock`.
    private let cancel = Mutex<UInt?>(nil)
    /// The statement the worker runs now, when it names one (`statementStarted`).
    private let statement = Mutex<ObjectIdentifier?>(nil)

    init() {}

    /// Creates the cancel object for a new connection (on the worker thread).
    func attach(_ connection: OpaquePointer) {
        let object = PQgetCancel(connection).map { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer($0))) }
        let previous = cancel.withLock { state in
            defer { state = object }
            return state
        }
        previous.map(Self.free)
    }

    /// Frees the cancel object when the connection closes (on the worker thread).
    func detach() {
        cancel.withLock { state in
            state.map(Self.free)
            state = nil
        }
    }

    /// Records which statement the worker runs from now (nil: none it names).
    func statementStarted(_ identifier: ObjectIdentifier?) {
        statement.withLock { $0 = identifier }
    }

    /// Asks the server, from a new thread, to cancel the running statement; it fails with `57014`. With
    /// `only`, nothing is sent unless that statement is still the one running when the request goes out.
    func cancelRunningStatement(only identifier: ObjectIdentifier? = nil) {
        Thread.detachNewThread { [self] in
            if let identifier, statement.withLock({ $0 }) != identifier { return }
            cancel.withLock { state in
                guard let state, let object = Self.pointer(state) else { return }
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
