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

/// Runs the Python peers in Tests/Peers with the test virtualenv's interpreter.
enum PythonPeer {
    struct Output {
        var status: Int32
        var text: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

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
