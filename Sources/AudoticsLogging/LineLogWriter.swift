import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where `LineLogHandler` puts its lines: an in-memory buffer that a thread of its own writes to a file descriptor.
///
/// Logging therefore never blocks the thread that logs, an event loop included: appending copies the line under a
/// lock; the writer thread wakes every `interval` (or as soon as `flushThreshold` bytes wait, or a line of level
/// `error` or above arrives) and writes everything buffered with as few `write` calls as it takes. If the output
/// cannot keep up and `maximumBufferedBytes` wait unwritten, new lines are dropped and counted, and a line saying
/// how many were dropped is written once the output drains: a stuck log reader slows nothing down.
///
/// Lines of level `critical` are written before `append` returns (the process may be about to end), and `flush()`
/// writes what is buffered at once; both give up after `synchronousWait` if the output is stuck (the lines then
/// stay buffered for the writer thread). `LineLogWriter.standardError` flushes when the process exits normally;
/// a process that traps loses the lines of its last `interval`.
public final class LineLogWriter: @unchecked Sendable {
    // @unchecked Sendable: `buffer`, `spare`, `dropped`, `stopped` and `urgent` are read and written only while
    // holding `lock` (a pthread mutex, waited on through `wakeUp`); `fileDescriptor` and the limits are constants;
    // `writing` serialises the write calls themselves, so the writer thread and `flush()` never interleave lines.

    /// The process's standard error, as swift-log's default handler uses; flushed at exit.
    public static let standardError: LineLogWriter = {
        let writer = LineLogWriter(fileDescriptor: 2)
        atexit { LineLogWriter.standardError.flush() }
        return writer
    }()

    /// The descriptor lines are written to.
    public let fileDescriptor: Int32
    /// How long a line may wait in the buffer.
    public let interval: Duration
    /// Buffered bytes that wake the writer thread before `interval` has passed.
    public let flushThreshold: Int
    /// Buffered bytes beyond which new lines are dropped (and counted).
    public let maximumBufferedBytes: Int
    /// How long `flush()` and a `critical` line wait for a stuck output before leaving the lines to the writer thread.
    public let synchronousWait: Duration

    private let lock = MonotonicCondition()
    private let writing = MonotonicCondition()
    private var isWriting = false
    private let exited = DispatchSemaphore(value: 0)
    private var buffer: [UInt8] = []
    private var spare: [UInt8] = []
    private var dropped = 0
    private var stopped = false
    /// A line that should not wait for the interval arrived.
    private var urgent = false

    /// Starts the writer thread for `fileDescriptor` (which the writer does not close).
    public init(
        fileDescriptor: Int32, interval: Duration = .milliseconds(50), flushThreshold: Int = 64 * 1024,
        maximumBufferedBytes: Int = 4 * 1024 * 1024, synchronousWait: Duration = .seconds(1)
    ) {
        self.fileDescriptor = fileDescriptor
        self.interval = interval
        self.flushThreshold = flushThreshold
        self.maximumBufferedBytes = maximumBufferedBytes
        self.synchronousWait = synchronousWait
        buffer.reserveCapacity(flushThreshold)
        spare.reserveCapacity(flushThreshold)
        let exited = self.exited
        let thread = Thread { [weak self] in
            while let writer = self, writer.writeWhenDue() {}
            exited.signal()
        }
        thread.name = "log-writer"
        thread.start()
    }

    deinit {
        // The thread holds the writer only while it writes, so this runs once it waits: write what is left.
        let (bytes, droppedLines) = takeBuffered()
        write(bytes, droppedLines: droppedLines)
    }

    /// Queues one line (which ends in a newline); `urgent` wakes the writer thread now, `synchronous` writes it
    /// (and everything before it) before returning, unless the output stays stuck for `synchronousWait`. A
    /// synchronous line is kept even when the buffer is full.
    public func append(_ line: String, urgent: Bool = false, synchronous: Bool = false) {
        var line = line
        line.withUTF8 { append(bytes: UnsafeRawBufferPointer($0), urgent: urgent, synchronous: synchronous) }
    }

    /// Queues one line given as its UTF-8 bytes (ending in a newline); see `append(_:urgent:synchronous:)`.
    public func append(bytes: UnsafeRawBufferPointer, urgent: Bool = false, synchronous: Bool = false) {
        lock.lock()
        if !synchronous, buffer.count + bytes.count > maximumBufferedBytes {
            dropped += 1
        } else {
            buffer.append(contentsOf: bytes)
        }
        if urgent { self.urgent = true }
        if urgent || buffer.count >= flushThreshold { lock.signal() }
        let afterStop = stopped
        lock.unlock()
        // After `stop()` nobody else writes: every line is written here.
        if synchronous || afterStop { flush() }
    }

    /// Writes every buffered line now, on the calling thread; gives up after `synchronousWait` when another write
    /// is stuck (the lines stay buffered).
    public func flush() {
        guard beginWriting(waitingAtMost: synchronousWait) else { return }
        defer { endWriting() }
        let (bytes, droppedLines) = takeBuffered()
        write(bytes, droppedLines: droppedLines, giveUpAfter: synchronousWait)
    }

    /// Stops the writer thread once it wrote what is buffered, and waits for that (for writers made for a while,
    /// like tests'; the process-wide one is never stopped). Blocks: call it from a thread that may block. Lines
    /// appended later are written by `append` itself.
    public func stop() {
        lock.lock()
        let first = !stopped
        stopped = true
        lock.signal()
        lock.unlock()
        if first { exited.wait() }
    }

    /// The writer thread's step: waits for the interval (or less, when enough bytes or an urgent line wait), then
    /// writes what is buffered; false once stopped and drained. Under a steady stream of lines it writes about once
    /// per `flushThreshold` bytes, not once per line.
    private func writeWhenDue() -> Bool {
        lock.lock()
        if !stopped, !urgent, buffer.count < flushThreshold {
            lock.wait(for: interval)
        }
        urgent = false
        let done = stopped && buffer.isEmpty && dropped == 0
        lock.unlock()
        if done { return false }
        if beginWriting(waitingAtMost: nil) {
            let (bytes, droppedLines) = takeBuffered()
            write(bytes, droppedLines: droppedLines)
            giveBack(bytes)
            endWriting()
        }
        return true
    }

    /// Takes the right to write; `nil`: waits as long as it takes.
    private func beginWriting(waitingAtMost limit: Duration?) -> Bool {
        writing.lock()
        defer { writing.unlock() }
        let start = ContinuousClock.now
        while isWriting {
            if let limit {
                let left = limit - start.duration(to: .now)
                guard left > .zero else { return false }
                writing.wait(for: left)
            } else {
                writing.wait(for: .seconds(1))
            }
        }
        isWriting = true
        return true
    }

    private func endWriting() {
        writing.lock()
        isWriting = false
        writing.broadcast()
        writing.unlock()
    }

    private func takeBuffered() -> ([UInt8], Int) {
        lock.lock()
        defer { lock.unlock() }
        let bytes = buffer
        buffer = spare
        spare = []
        let droppedLines = dropped
        dropped = 0
        return (bytes, droppedLines)
    }

    private func giveBack(_ bytes: [UInt8]) {
        var bytes = bytes
        bytes.removeAll(keepingCapacity: true)
        lock.lock()
        if spare.capacity < bytes.capacity { spare = bytes }
        lock.unlock()
    }

    /// Writes `bytes` and the note of dropped lines; `giveUpAfter`: for a non-blocking descriptor that stays full.
    private func write(_ bytes: [UInt8], droppedLines: Int, giveUpAfter limit: Duration? = nil) {
        writeAll(bytes, giveUpAfter: limit)
        if droppedLines > 0 {
            writeAll(Array("\(droppedLines) log lines dropped: the log output did not keep up\n".utf8), giveUpAfter: limit)
        }
    }

    private func writeAll(_ bytes: [UInt8], giveUpAfter limit: Duration?) {
        let start = ContinuousClock.now
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else if written < 0, errno == EAGAIN {
                    // A non-blocking descriptor that is full: wait for it, up to the limit for synchronous writers.
                    if let limit, start.duration(to: .now) > limit { return }
                    usleep(1000)
                } else {
                    return  // closed or broken: logging must not stop the process
                }
            }
        }
    }
}

/// A pthread mutex and condition variable whose timed waits use the monotonic clock (NSCondition's use the wall
/// clock, which a clock change can stretch).
final class MonotonicCondition: @unchecked Sendable {
    // @unchecked Sendable: the pthread objects are made for use from any thread; they live at stable addresses
    // allocated here and freed in deinit, when no thread can be using them.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    func signal() { pthread_cond_signal(condition) }
    func broadcast() { pthread_cond_broadcast(condition) }

    /// Waits (the mutex held) until signalled, spuriously woken, or `duration` passed.
    func wait(for duration: Duration) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let (seconds, attoseconds) = duration.components
        var deadline = now
        deadline.tv_sec += Int(clamping: seconds)
        deadline.tv_nsec += Int(attoseconds / 1_000_000_000)
        if deadline.tv_nsec >= 1_000_000_000 {
            deadline.tv_sec += 1
            deadline.tv_nsec -= 1_000_000_000
        }
        _ = pthread_cond_timedwait(condition, mutex, &deadline)
    }
}
