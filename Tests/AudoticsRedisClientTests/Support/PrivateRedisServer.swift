import AudoticsRedis
import AudoticsRedisClient
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// A redis-server of a test's own, started as a child process so the test can stop and restart it (by its PID,
/// never by name). Nothing is persisted; the folder is removed when the server is released.
final class PrivateRedisServer: Sendable {
    /// The port it listens on (the same across restarts).
    let port: Int
    private let directory: URL
    private let extraArguments: [String]
    private let process = Mutex<Process?>(nil)

    /// Whether a redis-server binary is installed (suites using private servers are skipped otherwise).
    static var isAvailable: Bool { executable != nil }

    private static let executable: String? = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Starts a server on a free port; `extraArguments` go to redis-server (e.g. `--requirepass`).
    init(extraArguments: [String] = []) async throws {
        let probe = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        port = try #require(probe.localAddress?.port)
        try await probe.close()
        let base = ProcessInfo.processInfo.environment["AUDOTICS_TEST_TMPDIR"] ?? NSTemporaryDirectory()
        directory = URL(fileURLWithPath: base).appendingPathComponent("redis-\(port)-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.extraArguments = extraArguments
        try await start()
    }

    deinit {
        process.withLock { process in
            if let process, process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `redis://127.0.0.1:PORT`.
    var url: String { "redis://127.0.0.1:\(port)" }

    /// Starts (or restarts) the server and waits until it answers PING.
    func start() async throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: try #require(Self.executable, "redis-server is not installed"))
        child.arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path, "--daemonize", "no",
            "--save", "", "--appendonly", "no", "--logfile", directory.appendingPathComponent("redis.log").path,
        ] + extraArguments
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        process.withLock { $0 = child }
        let configuration = RedisConfiguration(endpoint: RedisEndpoint(host: "127.0.0.1", port: port))
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if let connection = try? await RedisConnection.connect(configuration: configuration) {
                let reply = try? await connection.send(RESPCommand("PING"))
                connection.close()
                // With --requirepass PING answers NOAUTH: still a server that is up.
                if reply != nil { return }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RedisError(code: .connectionFailed, message: "the private redis-server on port \(port) did not start")
    }

    /// Freezes the server (SIGSTOP): connections are accepted by the kernel but nothing is answered, like a hung Redis.
    func pause() {
        process.withLock { process in if let process { kill(process.processIdentifier, SIGSTOP) } }
    }

    /// Lets a paused server run again (SIGCONT).
    func resume() {
        process.withLock { process in if let process { kill(process.processIdentifier, SIGCONT) } }
    }

    /// Stops the server (SIGKILL to its PID) and waits until it has exited.
    func stop() async throws {
        guard let child = process.withLock({ process in defer { process = nil }; return process }) else { return }
        // SIGKILL, as in a crash: the child inherits the signal mask of the thread that spawned it, which may block
        // SIGTERM (it then waited out the whole deadline). Nothing is persisted, so nothing is lost either way.
        kill(child.processIdentifier, SIGKILL)
        let deadline = ContinuousClock.now + .seconds(15)
        while Self.isAlive(child.processIdentifier), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        if Self.isAlive(child.processIdentifier) { kill(child.processIdentifier, SIGKILL) }
    }

    /// Whether `pid` still runs: its /proc entry exists and is not a zombie (Foundation's `isRunning` learns of the
    /// exit late, when it reaps the child).
    private static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state != "Z" && state != "X"
    }
}
