#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
internal import CAudoticsShims

/// A thin wrapper over Linux's epoll with an eventfd to wake the waiting thread: the pool loop's selector.
///
/// `@unchecked Sendable`: the descriptors never change after `init`; `add`, `modify`, `remove` and `wait` (and
/// the event buffer `wait` fills) are used only by the pool loop's thread, while other threads only call the
/// static `wake(_:)` on `wakeDescriptor`, a `write` to an eventfd, which is safe from any thread.
final class Epoll: @unchecked Sendable {
    /// One readiness report: the token given at registration, and whether the descriptor takes output. Input,
    /// a hang-up or an error all mean the same to the loop: libpq reads, and finds out which.
    struct Event {
        var token: UInt64
        var writable: Bool
    }

    /// The token of the eventfd's own events.
    static let wakeToken: UInt64 = 0

    let descriptor: Int32
    let wakeDescriptor: Int32
    private let buffer: UnsafeMutableBufferPointer<epoll_event>

    init() throws(PostgresError) {
        descriptor = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeDescriptor = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        buffer = .allocate(capacity: 64)
        guard descriptor >= 0, wakeDescriptor >= 0 else {
            let code = errno
            if descriptor >= 0 { close(descriptor) }
            if wakeDescriptor >= 0 { close(wakeDescriptor) }
            buffer.deallocate()
            throw PostgresError(code: SQLState(rawValue: "58000"), message: "cannot create the pool's poller: errno \(code)")
        }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.wakeToken
        _ = epoll_ctl(descriptor, EPOLL_CTL_ADD, wakeDescriptor, &event)
    }

    deinit {
        close(descriptor)
        close(wakeDescriptor)
        buffer.deallocate()
    }

    /// Starts watching `socket` for input (and output when `writable`), reporting it as `token`.
    func add(_ socket: Int32, token: UInt64, writable: Bool = false) -> Bool {
        control(EPOLL_CTL_ADD, socket, token: token, writable: writable)
    }

    /// Changes whether `socket` is watched for output too.
    func modify(_ socket: Int32, token: UInt64, writable: Bool) -> Bool {
        control(EPOLL_CTL_MOD, socket, token: token, writable: writable)
    }

    /// Stops watching `socket` (before it is closed).
    func remove(_ socket: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(descriptor, EPOLL_CTL_DEL, socket, &event)
    }

    private func control(_ operation: Int32, _ socket: Int32, token: UInt64, writable: Bool) -> Bool {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | (writable ? EPOLLOUT.rawValue : 0)
        event.data.u64 = token
        return epoll_ctl(descriptor, operation, socket, &event) == 0
    }

    /// Waits up to `milliseconds` (-1: no limit, 0: just look) and passes each event to `body`; the eventfd's
    /// own events are consumed here.
    func wait(milliseconds: Int32, _ body: (Event) -> Void) {
        let count = epoll_wait(descriptor, buffer.baseAddress, Int32(buffer.count), milliseconds)
        guard count > 0 else { return }
        for index in 0..<Int(count) {
            let event = buffer[index]
            if event.data.u64 == Self.wakeToken {
                var value: UInt64 = 0
                _ = read(wakeDescriptor, &value, 8)
                continue
            }
            body(Event(token: event.data.u64, writable: event.events & EPOLLOUT.rawValue != 0))
        }
    }

    /// Wakes the thread in `wait` (or makes its next `wait` return at once); safe from any thread.
    static func wake(_ wakeDescriptor: Int32) {
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, 8)
    }
}
