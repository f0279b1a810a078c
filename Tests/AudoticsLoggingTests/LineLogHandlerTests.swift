import AudoticsLogging
import Foundation
import Glibc
import Logging
import Testing

@Suite("LineLogHandler and LineLogWriter")
struct LineLogHandlerTests {
    /// A pipe whose read end the test drains, and a writer on its write end.
    final class PipeOutput: @unchecked Sendable {
        // @unchecked Sendable: the descriptors are constants; `received` is only touched by the test's task.
        let readEnd: Int32
        let writeEnd: Int32
        var received: [UInt8] = []

        init() {
            var descriptors: [Int32] = [0, 0]
            // A write after the test closed the pipe must fail with EPIPE, not end the test process.
            signal(SIGPIPE, SIG_IGN)
            precondition(pipe(&descriptors) == 0)
            readEnd = descriptors[0]
            writeEnd = descriptors[1]
            _ = fcntl(readEnd, F_SETFL, fcntl(readEnd, F_GETFL) | O_NONBLOCK)
        }

        deinit {
            close(readEnd)
            close(writeEnd)
        }

        /// Reads what has arrived so far.
        func drain() -> String {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                received += chunk[0..<count]
            }
            return String(decoding: received, as: UTF8.self)
        }

        /// Waits up to `timeout` for `predicate` to hold on what arrived.
        func wait(timeout: Duration = .seconds(5), until predicate: (String) -> Bool) async throws -> String {
            let started = ContinuousClock.now
            while ContinuousClock.now - started < timeout {
                let text = drain()
                if predicate(text) { return text }
                try await Task.sleep(for: .milliseconds(5))
            }
            return drain()
        }
    }

    /// A line as swift-log's StreamLogHandler prints it, without its timestamp: "<level> <label>: <key=value ...,
    /// sorted; the call's metadata over the handler's> [<source>] <message>" (StreamLogHandler.log(event:)).
    static func streamLine(label: String, level: Logger.Level, handlerMetadata: Logger.Metadata, metadata: Logger.Metadata?, message: String) -> String {
        var merged = handlerMetadata
        merged.merge(metadata ?? [:]) { _, new in new }
        let pretty = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
        return "\(level) \(label):\(pretty) [AudoticsLoggingTests] \(message)\n"
    }

    @Test("lines have swift-log's StreamLogHandler format, metadata sorted, handler metadata merged under the call's")
    func format() async throws {
        let output = PipeOutput()
        let writer = LineLogWriter(fileDescriptor: output.writeEnd, interval: .milliseconds(10))
        defer { writer.stop() }
        var logger = Logger(label: "audotics.test") { LineLogHandler(label: $0, writer: writer) }
        logger.info("plain")
        // Only the call's metadata: formatted straight into the line, sorted, any value kind.
        let callOnly: Logger.Metadata = ["zeta": "1", "alpha": .array(["x", "y"]), "mid": .stringConvertible(42), "beta": "b b"]
        logger.info("call metadata", metadata: callOnly)
        logger[metadataKey: "zone"] = "a"
        logger.info("with metadata", metadata: ["peer": "127.0.0.1", "zone": "b", "id": "7"])
        logger.notice("handler metadata only")
        logger.debug("dropped: below the level")
        let text = try await output.wait { $0.components(separatedBy: "\n").count >= 5 }
        let lines = text.split(separator: "\n").map(String.init)
        try #require(lines.count == 4, "\(text)")
        // "2026-12-07T08:20:09+0000 info ..." : a timestamp, then the rest exactly as StreamLogHandler writes it.
        for line in lines {
            let timestamp = try #require(line.split(separator: " ").first)
            #expect(timestamp.count == 24 && timestamp.dropFirst(4).first == "-" && timestamp.dropFirst(10).first == "T", "\(line)")
        }
        var rest = lines.map { String($0.drop { $0 != " " }.dropFirst()) + "\n" }
        #expect(rest[0] == Self.streamLine(label: "audotics.test", level: .info, handlerMetadata: [:], metadata: nil, message: "plain"))
        #expect(rest[1] == Self.streamLine(label: "audotics.test", level: .info, handlerMetadata: [:], metadata: callOnly, message: "call metadata"))
        #expect(rest[1].contains(#"alpha=["x", "y"] beta=b b mid=42 zeta=1 ["#), "\(rest[1])")
        rest.remove(at: 1)
        #expect(rest[1] == Self.streamLine(
            label: "audotics.test", level: .info, handlerMetadata: ["zone": "a"],
            metadata: ["peer": "127.0.0.1", "zone": "b", "id": "7"], message: "with metadata"))
        #expect(rest[1].contains("id=7 peer=127.0.0.1 zone=b"))
        #expect(rest[2] == Self.streamLine(label: "audotics.test", level: .notice, handlerMetadata: ["zone": "a"], metadata: nil, message: "handler metadata only"))
    }

    @Test("a line longer than the stack buffer, in its message or its metadata, is written whole")
    func longLines() async throws {
        let output = PipeOutput()
        let writer = LineLogWriter(fileDescriptor: output.writeEnd, interval: .milliseconds(10))
        defer { writer.stop() }
        let logger = Logger(label: "audotics.test") { LineLogHandler(label: $0, writer: writer) }
        let long = String(repeating: "0123456789", count: 150)  // 1,500 bytes
        for split in [900, 950, 951, 952, 1100] {
            // With the 73 bytes around it, a 951-byte message makes a line of exactly the stack buffer's 1,024 bytes.
            logger.info("\(long.prefix(split))", metadata: ["k": "v"])
        }
        logger.info("short", metadata: ["payload": "\(long)é"])
        logger.info("after")
        let text = try await output.wait { $0.contains("after") }
        let lines = text.split(separator: "\n").map { String($0.drop { $0 != " " }.dropFirst()) + "\n" }
        try #require(lines.count == 7, "\(text)")
        for (index, split) in [900, 950, 951, 952, 1100].enumerated() {
            #expect(lines[index] == Self.streamLine(
                label: "audotics.test", level: .info, handlerMetadata: [:], metadata: ["k": "v"], message: String(long.prefix(split))))
        }
        #expect(lines[5] == Self.streamLine(
            label: "audotics.test", level: .info, handlerMetadata: [:], metadata: ["payload": "\(long)é"], message: "short"))
        #expect(lines[6] == Self.streamLine(label: "audotics.test", level: .info, handlerMetadata: [:], metadata: nil, message: "after"))
    }

    @Test("lines are not written one at a time: the first waits for the interval; order is kept")
    func batching() async throws {
        let output = PipeOutput()
        let writer = LineLogWriter(fileDescriptor: output.writeEnd, interval: .milliseconds(200))
        defer { writer.stop() }
        let logger = Logger(label: "batch") { LineLogHandler(label: $0, writer: writer) }
        logger.info("first")
        // Not written at once: the writer thread waits for the interval.
        #expect(output.drain().isEmpty)
        for index in 0..<1000 { logger.info("line \(index)") }
        let text = try await output.wait { $0.contains("line 999\n") }
        let indices = text.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
        #expect(indices == Array(0..<1000))
        #expect(text.hasPrefix(text.split(separator: "\n")[0] + "\n") && text.split(separator: "\n")[0].hasSuffix("first"))
    }

    @Test("an error line is written without waiting for the interval; a critical one before log returns")
    func urgentLines() async throws {
        let output = PipeOutput()
        let writer = LineLogWriter(fileDescriptor: output.writeEnd, interval: .seconds(60))
        defer { writer.stop() }
        let logger = Logger(label: "urgent") { LineLogHandler(label: $0, writer: writer) }
        logger.info("before")
        logger.error("broken")
        let text = try await output.wait(timeout: .seconds(5)) { $0.contains("broken") }
        #expect(text.contains("before") && text.contains("error urgent: [AudoticsLoggingTests] broken"))
        logger.critical("dying")
        #expect(output.drain().contains("critical urgent: [AudoticsLoggingTests] dying"))
    }

    @Test("when the output does not keep up, lines are dropped and counted, and logging does not block")
    func overflow() async throws {
        let output = PipeOutput()
        // A pipe holds 64 KiB; nobody reads it until the end, so the writer thread blocks and the buffer fills.
        let writer = LineLogWriter(fileDescriptor: output.writeEnd, interval: .milliseconds(1), maximumBufferedBytes: 16 * 1024)
        defer { writer.stop() }
        let logger = Logger(label: "flood") { LineLogHandler(label: $0, writer: writer) }
        let started = ContinuousClock.now
        for index in 0..<20_000 { logger.info("a line long enough to fill the pipe quickly, number \(index)") }
        #expect(ContinuousClock.now - started < .seconds(5), "logging blocked")
        let text = try await output.wait(timeout: .seconds(10)) { $0.contains("log lines dropped") }
        let dropped = text.split(separator: "\n").first { $0.contains("log lines dropped") }
        let count = try #require(dropped?.split(separator: " ").first.flatMap { Int($0) })
        let written = text.split(separator: "\n").filter { $0.contains("number") }.count
        #expect(count > 0 && written > 0)
        // Every line is accounted for: written, dropped, or still buffered (the drop note comes after a write).
        #expect(written + count <= 20_000)
        _ = output.drain()
    }

    struct Broken: Error, CustomStringConvertible {
        var description: String { "the disk is on fire" }
    }

    @Test("an error travels as error.message and error.type, as StreamLogHandler writes it")
    func errorMetadata() async throws {
        let output = PipeOutput()
        let writer = LineLogWriter(fileDescriptor: output.writeEnd, interval: .milliseconds(10))
        defer { writer.stop() }
        let logger = Logger(label: "errors") { LineLogHandler(label: $0, writer: writer) }
        logger.log(level: .warning, "failed", error: Broken(), metadata: ["id": "1"])
        let text = try await output.wait { $0.contains("failed") }
        #expect(text.contains(
            "warning errors: error.message=the disk is on fire error.type=AudoticsLoggingTests.LineLogHandlerTests.Broken id=1 [AudoticsLoggingTests] failed"),
            "\(text)")
    }

    @Test("stop twice returns; lines after stop are still written")
    func afterStop() throws {
        let output = PipeOutput()
        let writer = LineLogWriter(fileDescriptor: output.writeEnd, interval: .seconds(60))
        let logger = Logger(label: "late") { LineLogHandler(label: $0, writer: writer) }
        logger.info("before")
        writer.stop()
        writer.stop()
        logger.info("after")
        let text = output.drain()
        #expect(text.contains("] before\n") && text.contains("] after\n"), "\(text)")
    }

    @Test("a critical line or a flush gives up on a stuck output instead of blocking")
    func stuckOutput() async throws {
        let output = PipeOutput()
        // Non-blocking write end: a full pipe is EAGAIN, which the writer retries.
        _ = fcntl(output.writeEnd, F_SETFL, fcntl(output.writeEnd, F_GETFL) | O_NONBLOCK)
        let writer = LineLogWriter(
            fileDescriptor: output.writeEnd, interval: .milliseconds(1), maximumBufferedBytes: 1 << 20,
            synchronousWait: .milliseconds(200))
        let logger = Logger(label: "stuck") { LineLogHandler(label: $0, writer: writer) }
        // Fill the pipe (nobody reads yet): the writer thread keeps retrying its write.
        for index in 0..<5_000 { logger.info("filling the pipe with line number \(index) and some more text") }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        logger.critical("last words")
        writer.flush()
        #expect(ContinuousClock.now - started < .seconds(2), "a synchronous write waited for a stuck output")
        // Once the output drains, everything arrives, the critical line included.
        let text = try await output.wait(timeout: .seconds(10)) { $0.contains("last words") }
        #expect(text.contains("critical stuck: [AudoticsLoggingTests] last words"))
        writer.stop()
        _ = output.drain()
    }

    @Test("flush writes what is buffered at once")
    func flush() throws {
        let output = PipeOutput()
        let writer = LineLogWriter(fileDescriptor: output.writeEnd, interval: .seconds(60))
        defer { writer.stop() }
        let logger = Logger(label: "flush") { LineLogHandler(label: $0, writer: writer) }
        logger.warning("pending")
        writer.flush()
        #expect(output.drain().contains("warning flush: [AudoticsLoggingTests] pending"))
    }
}
