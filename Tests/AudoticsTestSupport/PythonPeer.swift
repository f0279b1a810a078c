public import Foundation

/// Runs the Python peers in Tests/Peers (grpcio, protobuf, ssl, ...) with the test virtualenv's
/// interpreter: `AUDOTICS_PYTHON` (set by tools/test), else the repository's `.venv`.
public enum PythonPeer {
    /// What a peer printed and how it exited.
    public struct Output: Sendable {
        /// The exit status.
        public var status: Int32
        /// Standard output and standard error, interleaved.
        public var text: String
    }

    /// The repository root.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The interpreter to run peers with.
    public static func python() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["AUDOTICS_PYTHON"], !configured.isEmpty {
            return configured
        }
        let venv = repository.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else {
            throw PeerError(message: "no Python peer environment: run the tests with tools/test (it creates .venv)")
        }
        return venv
    }

    /// A process running `script` (a file in Tests/Peers) with `arguments`.
    static func process(_ script: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try python())
        process.arguments = [repository.appendingPathComponent("Tests/Peers/" + script).path] + arguments
        return process
    }

    /// Runs a peer to completion: `arguments[0]` is the script in Tests/Peers, the rest its arguments.
    public static func run(_ arguments: [String]) throws -> Output {
        let process = try process(arguments[0], Array(arguments.dropFirst()))
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, text: String(decoding: data, as: UTF8.self))
    }

    /// Starts a peer in the background: `arguments[0]` is the script in Tests/Peers.
    public static func start(_ arguments: [String]) throws -> Running {
        let process = try process(arguments[0], Array(arguments.dropFirst()))
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let running = Running(process: process, pipe: pipe)
        try process.run()
        return running
    }

    /// A peer running in the background.
    public final class Running: @unchecked Sendable {
        // @unchecked Sendable: `output` is appended from the pipe's reader thread and read by the test,
        // both under `lock`; the process object is only used to wait for the exit.
        let process: Process
        private let lock = NSLock()
        private var output = Data()

        init(process: Process, pipe: Pipe) {
            self.process = process
            pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self else { return }
                lock.withLock { output.append(data) }
            }
        }

        /// What the peer printed so far.
        public var text: String { lock.withLock { String(decoding: output, as: UTF8.self) } }

        /// Waits (up to 30 s) until the peer printed `line`.
        public func waitForLine(_ line: String) async throws {
            for _ in 0..<3_000 {
                if text.contains(line) { return }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw PeerError(message: "the peer did not print '\(line)' within 30 s: \(text)")
        }

        /// Waits for the peer to exit.
        public func finish() async throws -> Output {
            while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            try await Task.sleep(for: .milliseconds(50))
            return Output(status: process.terminationStatus, text: text)
        }
    }

    /// A peer could not be run.
    public struct PeerError: Error, CustomStringConvertible {
        /// What went wrong.
        public var message: String
        public var description: String { message }
    }
}

/// A temporary folder removed when the value is dropped.
public final class TemporaryFolder {
    /// The folder's path.
    public let path: String

    /// Creates the folder.
    public init() throws {
        path = NSTemporaryDirectory() + "audotics-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
