import Foundation

/// A long-running Python peer from Tests/Peers (a server): started with the test virtualenv's interpreter, its
/// port read from the first line it prints, stopped by closing its stdin and terminating it.
public final class PythonServerPeer: Sendable {
    /// The port the peer listens on.
    public let port: Int
    private let process: Process
    private let stdin: Pipe

    private init(port: Int, process: Process, stdin: Pipe) {
        self.port = port
        self.process = process
        self.stdin = stdin
    }

    /// Starts `script` with `arguments` and waits (off the cooperative pool) until it prints its port.
    public static func start(_ script: String, _ arguments: [String] = []) async throws -> PythonServerPeer {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try startBlocking(script, arguments) })
            }
        }
    }

    private static func startBlocking(_ script: String, _ arguments: [String]) throws -> PythonServerPeer {
        let process = try PythonPeer.process(script, arguments)
        let stdout = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardInput = stdin
        process.standardError = FileHandle.standardError
        try process.run()
        var line: [UInt8] = []
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(contentsOf: chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let port = Int(text) else {
            process.terminate()
            throw PeerFailed(output: text)
        }
        return PythonServerPeer(port: port, process: process, stdin: stdin)
    }

    /// Stops the peer and waits for it to exit.
    public func stop() async {
        let process = self.process
        let stdin = self.stdin
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                try? stdin.fileHandleForWriting.close()
                process.terminate()
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    /// The peer did not announce its port.
    public struct PeerFailed: Error, CustomStringConvertible {
        var output: String
        public var description: String { "the Python peer did not print its port: \(output)" }
    }
}
