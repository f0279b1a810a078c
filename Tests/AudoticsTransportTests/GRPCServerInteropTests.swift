import AudoticsInterop
import AudoticsRPC
import AudoticsTransport
import Foundation
import Testing

/// Our server against a real peer: Python's grpcio client runs the interop cases over h2c.
@Suite("gRPC server interop with grpcio (h2c)", .serialized)
struct GRPCServerInteropTests {
    @Test("grpcio passes the interop cases against our server")
    func interopCases() async throws {
        let server = try await GRPCServer(
            configuration: GRPCServerConfiguration(port: 0, threads: 1),
            router: RPCRouter(services: [InteropTestService()])
        ).start()
        let port = server.port
        let output = try await Task.detached { try PythonPeer.run(["interop_client.py", "--port", String(port)]) }.value
        try await server.stop()
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains(" passed, 0 failed"), "\(output.text)")
    }
}

@Suite("graceful shutdown", .serialized)
struct GracefulShutdownTests {
    @Test("stopping the server lets an in-flight call finish and refuses new ones")
    func inFlightCallsFinish() async throws {
        let server = try await GRPCServer(
            configuration: GRPCServerConfiguration(port: 0, threads: 1),
            router: RPCRouter(services: [InteropTestService()])
        ).start()
        let peer = try PythonPeer.start(["graceful_client.py", "--port", String(server.port)])
        try await peer.waitForLine("started")
        try await server.stop()
        let output = try await peer.finish()
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains("finished with 5 responses"), "\(output.text)")
    }
}

/// Runs the Python peers in Tests/Peers with the test virtualenv's interpreter.
enum PythonPeer {
    struct Output {
        var status: Int32
        var text: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A peer running in the background.
    final class Running: @unchecked Sendable {
        // @unchecked Sendable: `output` is appended from the pipe's reader thread and read by the test
        // through `lock`; the process object is only used to wait for exit.
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

        var text: String { lock.withLock { String(decoding: output, as: UTF8.self) } }

        /// Waits (up to 30 s) until the peer printed `line`.
        func waitForLine(_ line: String) async throws {
            for _ in 0..<3_000 {
                if text.contains(line) { return }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw CancellationError()
        }

        /// Waits for the peer to exit.
        func finish() async throws -> Output {
            while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
            try await Task.sleep(for: .milliseconds(50))
            return Output(status: process.terminationStatus, text: text)
        }
    }

    /// Starts a peer in the background.
    static func start(_ arguments: [String]) throws -> Running {
        let process = Process()
        let configured = ProcessInfo.processInfo.environment["AUDOTICS_PYTHON"] ?? ""
        process.executableURL = URL(fileURLWithPath: configured.isEmpty ? repository.appendingPathComponent(".venv/bin/python").path : configured)
        var arguments = arguments
        arguments[0] = repository.appendingPathComponent("Tests/Peers/" + arguments[0]).path
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let running = Running(process: process, pipe: pipe)
        try process.run()
        return running
    }

    static func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        let configured = ProcessInfo.processInfo.environment["AUDOTICS_PYTHON"] ?? ""
        process.executableURL = URL(fileURLWithPath: configured.isEmpty ? repository.appendingPathComponent(".venv/bin/python").path : configured)
        var arguments = arguments
        arguments[0] = repository.appendingPathComponent("Tests/Peers/" + arguments[0]).path
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, text: String(decoding: data, as: UTF8.self))
    }
}
