import AudoticsConformanceAPI
import AudoticsProtobuf
import Foundation
import Testing

/// Interoperability with a real peer: Python's `protobuf` package encodes and decodes the same
/// canonical messages (Tests/Peers/protobuf_peer.py).
@Suite("protobuf interop with Python", .serialized)
struct PythonPeerTests {
    @Test("Swift decodes what Python encodes, for every shape")
    func decodePythonEncoding() throws {
        let folder = try TemporaryFolder()
        let output = try PythonPeer.run(["protobuf_peer.py", "encode", folder.path])
        #expect(output.status == 0, "\(output.text)")
        for (name, expected) in ConformanceCases.all {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder.path + "/\(name).bin")))
            try expectDecodes(bytes, as: expected, name: name)
        }
    }

    @Test("Python decodes what Swift encodes, for every shape")
    func pythonDecodesSwiftEncoding() throws {
        let folder = try TemporaryFolder()
        for (name, message) in ConformanceCases.all {
            try Data(message.serializedBytes()).write(to: URL(fileURLWithPath: folder.path + "/\(name).bin"))
        }
        let output = try PythonPeer.run(["protobuf_peer.py", "verify", folder.path])
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains("\(ConformanceCases.all.count) passed, 0 failed"), "\(output.text)")
    }

    private func expectDecodes<M: ProtobufMessage>(_ bytes: [UInt8], as expected: M, name: String) throws {
        let decoded = try M(serializedBytes: bytes)
        #expect(decoded == expected, "case \(name)")
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

    /// The interpreter: `AUDOTICS_PYTHON` (set by tools/test), else the repository's `.venv`.
    static func python() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["AUDOTICS_PYTHON"], !configured.isEmpty {
            return configured
        }
        let venv = repository.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else {
            throw PeerError(message: "no Python peer environment: run the tests with tools/test (it creates .venv)")
        }
        return venv
    }

    static func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try python())
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

    struct PeerError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// A temporary folder removed when the value is dropped.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "audotics-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
