import Foundation

/// Runs the Python peers in Tests/Peers with the test virtualenv's interpreter (`AUDOTICS_PYTHON`,
/// else `.venv/bin/python`).
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
