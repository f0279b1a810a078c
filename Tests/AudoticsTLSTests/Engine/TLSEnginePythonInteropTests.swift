@testable import AudoticsTLS
import Foundation
import Synchronization
import Testing

/// Interoperability with a real TLS stack: Python's `ssl` module (CPython over its own OpenSSL build) as a
/// client over a real TCP socket, against a blocking socket loop driving a server `TLSEngine` on a thread.
@Suite("TLSEngine with Python's ssl client")
struct TLSEnginePythonInteropTests {
    @Test("Python connects with ALPN h2 and exchanges a message", arguments: ["1.3", "1.2"])
    func exchange(version: String) throws {
        let pki = try TestPKI()
        let server = try EngineSocketServer(context: TLSContext(configuration: pki.server()))
        let output = try PythonClient.run(port: server.port, authority: pki.certificate("ca"), alpn: "h2", maximumVersion: version)
        let outcome = server.wait()
        #expect(output["error"] == nil, "python: \(output)")
        #expect(output["alpn"] == "h2")
        #expect(output["version"] == "TLSv\(version)")
        #expect(output["reply"] == "hello python, from audotics over \(version == "1.3" ? "TLS 1.3" : "TLS 1.2") with h2")
        #expect(outcome.error == nil)
        #expect(outcome.received == "hello from python")
        #expect(outcome.sawEndOfStream, "python's unwrap() sends close_notify")
    }

    @Test("Python offering no ALPN, or only http/1.1, is refused during the handshake", arguments: ["", "http/1.1"])
    func refused(alpn: String) throws {
        let pki = try TestPKI()
        let server = try EngineSocketServer(context: TLSContext(configuration: pki.server()))
        let output = try PythonClient.run(port: server.port, authority: pki.certificate("ca"), alpn: alpn, maximumVersion: "1.3")
        let outcome = server.wait()
        #expect(output["error"]?.contains("no application protocol") == true, "python: \(output)")
        #expect(outcome.error?.code == .noApplicationProtocol)
        #expect(outcome.received.isEmpty)
    }
}

/// Runs the Python TLS client script and returns its one line of JSON output as a dictionary.
enum PythonClient {
    static let script = #"""
    import json, socket, ssl, sys
    port, cafile, alpn, version = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cafile)
    if alpn:
        context.set_alpn_protocols(alpn.split(","))
    if version == "1.2":
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    result = {}
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as tls:
                result["alpn"] = tls.selected_alpn_protocol() or ""
                result["version"] = tls.version()
                tls.sendall(b"hello from python")
                reply = b""
                while not reply.endswith(b"\n"):
                    chunk = tls.recv(4096)
                    if not chunk:
                        break
                    reply += chunk
                result["reply"] = reply.decode().strip()
                tls.unwrap()
    except Exception as error:
        result["error"] = f"{type(error).__name__}: {error} {getattr(error, 'reason', '')}"
    print(json.dumps(result))
    """#

    /// `$AUDOTICS_PYTHON`, else the package's `.venv` (this checkout: `/work/main/.venv/bin/python`).
    static func interpreter() throws -> String {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let candidates = [ProcessInfo.processInfo.environment["AUDOTICS_PYTHON"], packageRoot + "/.venv/bin/python", "/work/main/.venv/bin/python"]
        guard let found = candidates.compactMap({ $0 }).first(where: { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestSupport.CLIError(message: "no Python interpreter: set AUDOTICS_PYTHON or create .venv")
        }
        return found
    }

    static func run(port: UInt16, authority: String, alpn: String, maximumVersion: String) throws -> [String: String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try interpreter())
        process.arguments = ["-c", script, String(port), authority, alpn, maximumVersion]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let parsed = try JSONSerialization.jsonObject(with: data) as? [String: String] else {
            throw TestSupport.CLIError(message: "python exited with \(process.terminationStatus): \(String(decoding: data, as: UTF8.self))")
        }
        return parsed
    }
}

/// A one-connection TCP server on 127.0.0.1 whose thread drives a server `TLSEngine` with blocking sockets:
/// it answers the first message, then waits for close_notify and answers with its own.
final class EngineSocketServer: Sendable {
    /// What the server thread saw.
    struct Outcome: Sendable {
        var received = ""
        var sawEndOfStream = false
        var error: TLSError?
    }

    let port: UInt16
    private let outcome = Mutex(Outcome())
    private let finished = DispatchSemaphore(value: 0)

    init(context: TLSContext) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw TestSupport.CLIError(message: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(listener, generic, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, generic, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw TestSupport.CLIError(message: "cannot listen on 127.0.0.1")
        }
        port = UInt16(bigEndian: address.sin_port)
        Self.setTimeout(listener)
        let thread = Thread { [self] in
            defer { finished.signal() }
            defer { close(listener) }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            defer { close(connection) }
            Self.setTimeout(connection)
            serve(connection, context: context)
        }
        thread.start()
    }

    /// Waits for the server thread (bounded by the sockets' timeouts) and returns what it saw.
    func wait() -> Outcome {
        _ = finished.wait(timeout: .now() + 30)
        return outcome.withLock { $0 }
    }

    private static func setTimeout(_ socket: Int32) {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    private func serve(_ connection: Int32, context: TLSContext) {
        var inbound: [UInt8] = []
        var outbound: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var replied = false
        let engine: TLSEngine
        do { engine = try TLSEngine(context: context) } catch { return outcome.withLock { $0.error = error } }
        func flush() {
            outbound.removeAll(keepingCapacity: true)
            engine.drainCiphertext(into: &outbound)
            var sent = 0
            while sent < outbound.count {
                let count = outbound.withUnsafeBytes { send(connection, $0.baseAddress! + sent, outbound.count - sent, Int32(MSG_NOSIGNAL)) }
                guard count > 0 else { return }
                sent += count
            }
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            do {
                try buffer.withUnsafeBytes { bytes in try engine.receive(UnsafeRawBufferPointer(rebasing: bytes[..<count])) }
                let state = try engine.readPlaintext(into: &inbound)
                outcome.withLock { $0.received = String(decoding: inbound, as: UTF8.self) }
                if !replied, inbound == Array("hello from python".utf8) {
                    let version = engine.negotiatedVersion.map(String.init(describing:)) ?? "?"
                    try engine.write(plaintext: Array("hello python, from audotics over \(version) with \(engine.negotiatedALPN ?? "-")\n".utf8))
                    replied = true
                }
                if state == .endOfStream {
                    outcome.withLock { $0.sawEndOfStream = true }
                    try engine.shutdown()
                    flush()
                    return
                }
                flush()
            } catch {
                outcome.withLock { $0.error = error as? TLSError ?? TLSError(code: .invalidArgument, message: "\(error)") }
                flush()  // the fatal alert
                return
            }
        }
    }
}
