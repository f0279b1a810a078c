import AudoticsPostgres
import AudoticsTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

@Suite("PostgresPool across a server restart", .enabled(if: TestDatabase.isConfigured, TestDatabase.skipReason))
struct PostgresRestartTests {
    @Test("the pool recovers when PostgreSQL restarts mid-run", .timeLimit(.minutes(3)))
    func restart() async throws {
        let folder = try TemporaryFolder()
        chmod(folder.path, 0o755)  // the postgres user must reach the data folder inside
        let server = PrivatePostgres(dataFolder: folder.path + "/data")
        let port = try await server.start(port: nil)
        do {
            try await TestDatabase.withPool(url: "postgresql://audotics@127.0.0.1:\(port)/audotics", configure: {
                $0.maxConnections = 4
            }) { pool in
                try await runQueries(pool, count: 40)
                let opened = pool.statistics.connectionsOpened
                #expect(opened >= 1)

                // Restart while queries keep coming: some may fail during the outage, none may hang.
                let load = Task {
                    var failures = 0
                    while !Task.isCancelled {
                        do {
                            try await runQueries(pool, count: 4)
                        } catch let error as PostgresError {
                            #expect(["08", "57"].contains(error.code.errorClass) || error.code == .tooManyConnections, "\(error)")
                            failures += 1
                            try? await Task.sleep(for: .milliseconds(20))
                        } catch {
                            Issue.record("unexpected error \(error)")
                        }
                    }
                    return failures
                }
                try await Task.sleep(for: .milliseconds(300))
                try await server.stop()
                try await Task.sleep(for: .milliseconds(300))
                _ = try await server.start(port: port)
                try await Task.sleep(for: .milliseconds(300))
                load.cancel()
                let failures = await load.value
                #expect(failures > 0, "the outage should have been visible to queries")

                // Once the server is back, every query succeeds again on fresh connections.
                try await runQueries(pool, count: 40)
                #expect(pool.statistics.connectionsOpened > opened)
            }
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
    }

    private func runQueries(_ pool: PostgresPool, count: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<count {
                group.addTask {
                    let rows = try await pool.query("SELECT \(index) AS value")
                    #expect(try rows.first?.decode(Int.self, column: "value") == index)
                }
            }
            try await group.waitForAll()
        }
    }
}

/// A PostgreSQL of the test's own, started and stopped with tools/lib/services.sh (which runs the server
/// programs as the `postgres` user when we are root, and stops the server by its own PID).
struct PrivatePostgres {
    let dataFolder: String

    /// Starts the server (creating the cluster the first time) on `port`, or a free port; returns the port.
    func start(port: Int?) async throws -> Int {
        let portFile = dataFolder + ".port"
        try await Self.services(
            """
            port="${2:-$(free_port)}"
            start_postgres "$1" "$port" test
            echo "$port" > "$3"
            """, [dataFolder, port.map(String.init) ?? "", portFile])
        let text = try String(contentsOfFile: portFile, encoding: .utf8)
        return try #require(Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), "no port in \(text)")
    }

    /// Stops the server (fast shutdown: sessions are terminated).
    func stop() async throws {
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
