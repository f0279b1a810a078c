import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL of the test's own, started and stopped with tools/lib/services.sh (which runs the server
/// programs as the `postgres` user when we are root, and stops the server by its own PID).
public struct PrivatePostgres: Sendable {
    /// The cluster's data folder (created on first start).
    public let dataFolder: String

    /// A server whose cluster lives in `dataFolder`.
    public init(dataFolder: String) {
        self.dataFolder = dataFolder
    }

    /// Starts the server (creating the cluster the first time) on `port`, or a free port; returns the port.
    public func start(port: Int?) async throws -> Int {
        let portFile = dataFolder + ".port"
        try await Self.services(
            """
            port="${2:-$(free_port)}"
            start_postgres "$1" "$port" test
            echo "$port" > "$3"
            """, [dataFolder, port.map(String.init) ?? "", portFile])
        let text = try String(contentsOfFile: portFile, encoding: .utf8)
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw ServicesFailed(status: -2) }
        return port
    }

    /// Stops the server (fast shutdown: sessions are terminated).
    public func stop() async throws {
        try await Self.services(#"stop_postgres "$1""#, [dataFolder])
    }

    /// Runs `script` in bash after sourcing services.sh, on a thread of its own (it blocks in `waitpid`).
    ///
    /// `posix_spawn` and `waitpid` rather than Foundation's `Process`: its exit monitoring did not reap the
    /// child inside the test runner (the shell stayed a zombie and `waitUntilExit` never returned). Output
    /// goes to our stderr, never to a pipe, which the postmaster would inherit and keep open.
    private static func services(_ script: String, _ arguments: [String]) async throws {
        let library = PythonPeer.repository.appendingPathComponent("tools/lib/services.sh").path
        let argv = ["/bin/bash", "-c", "set -euo pipefail; source \"\(library)\"\n" + script, "services"] + arguments
        let status = await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            Thread.detachNewThread { continuation.resume(returning: spawnAndWait(argv)) }
        }
        guard status == 0 else { throw ServicesFailed(status: status) }
    }

    /// Runs `argv` with stdin from /dev/null and stdout on our stderr, and returns its exit status (-1 if it could not start).
    private static func spawnAndWait(_ argv: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, 2, 1)
        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        guard posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
    }

    struct ServicesFailed: Error, CustomStringConvertible {
        var status: Int32
        var description: String { "tools/lib/services.sh failed with status \(status)" }
    }
}
