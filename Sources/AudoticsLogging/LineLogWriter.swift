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
/// writes what is buffered at once; `LineLogWriter.standardError` flushes when the process exits normally.
public final class LineLogWriter: @unchecked Sendable {
    // @unchecked Sendable: `buffer`, `dropped`, `spare` and `stopped` are read and written only while holding
    // `condition` (an NSCondition: a mutex with a condition variable); `fileDescriptor` and the limits are constants;
    // `writeLock` serialises the write calls themselves, so the writer thread and `flush()` never interleave lines.

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

    private let condition = NSCondition()
    private let writeLock = NSLock()
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
        maximumBufferedBytes: Int = 4 * 1024 * 1024
    ) {
        self.fileDescriptor = fileDescriptor
        self.interval = interval
        self.flushThreshold = flushThreshold
        self.maximumBufferedBytes = maximumBufferedBytes
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

    /// Queues one line (which ends in a newline); `urgent` wakes the writer thread now, `synchronous` writes it
    /// (and everything before it) before returning.
    public func append(_ line: String, urgent: Bool = false, synchronous: Bool = false) {
        var line = line
        line.withUTF8 { bytes in
            condition.lock()
            if buffer.count + bytes.count > maximumBufferedBytes {
                dropped += 1
            } else {
                buffer.append(contentsOf: bytes)
            }
            if urgent { self.urgent = true }
            if urgent || buffer.count >= flushThreshold { condition.signal() }
            condition.unlock()
        }
        if synchronous { flush() }
    }

    /// Writes every buffered line now, on the calling thread.
    public func flush() {
        writeLock.lock()
        defer { writeLock.unlock() }
        let (bytes, droppedLines) = takeBuffered()
        write(bytes, droppedLines: droppedLines)
        giveBack(bytes)
    }

    /// Stops the writer thread once it wrote what is buffered, and waits for that (for writers made for a while,
    /// like tests'; the process-wide one is never stopped). Blocks: call it from a thread that may block.
    public func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
        exited.wait()
    }

    /// The writer thread's step: waits for the interval (or less, when enough bytes or an urgent line wait), then
    /// writes what is buffered; false once stopped and drained. Under a steady stream of lines it writes about once
    /// per `flushThreshold` bytes, not once per line.
    private func writeWhenDue() -> Bool {
        condition.lock()
        if !stopped, !urgent, buffer.count < flushThreshold {
            let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) * 1e-18
            _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
        }
        urgent = false
        let done = stopped && buffer.isEmpty && dropped == 0
        condition.unlock()
        if done { return false }
        flush()
        return true
    }

    private func takeBuffered() -> ([UInt8], Int) {
        condition.lock()
        defer { condition.unlock() }
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
        condition.lock()
        if spare.capacity < bytes.capacity { spare = bytes }
        condition.unlock()
    }

    private func write(_ bytes: [UInt8], droppedLines: Int) {
        writeAll(bytes)
        if droppedLines > 0 {
            writeAll(Array("\(droppedLines) log lines dropped: the log output did not keep up\n".utf8))
        }
    }

    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR || errno == EAGAIN {
                    if errno == EAGAIN { usleep(1000) }  // a non-blocking descriptor that is full: wait for it
                } else {
                    return  // closed or broken: logging must not stop the process
                }
            }
        }
    }
}
