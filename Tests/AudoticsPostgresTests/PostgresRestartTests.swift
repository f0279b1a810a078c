import AudoticsPostgres
import AudoticsTestSupport
import Foundation
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
        let output = try await Self.services(
            """
            port="${2:-$(free_port)}"
            start_postgres "$1" "$port" test >&2
            echo "$port"
            """, [dataFolder, port.map(String.init) ?? ""])
        return try #require(Int(output.trimmingCharacters(in: .whitespacesAndNewlines)), "no port in \(output)")
    }

    /// Stops the server (fast shutdown: sessions are terminated).
    func stop() async throws {
        _ = try await Self.services(#"stop_postgres "$1""#, [dataFolder])
    }

    /// Runs `script` in bash after sourcing services.sh, off the cooperative pool; returns its stdout.
    private static func services(_ script: String, _ arguments: [String]) async throws -> String {
        let library = PythonPeer.repository.appendingPathComponent("tools/lib/services.sh").path
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/bin/bash")
                    process.arguments = ["-c", "set -euo pipefail; source \"\(library)\"\n" + script, "services"] + arguments
                    let stdout = Pipe()
                    process.standardOutput = stdout
                    process.standardError = FileHandle.standardError
                    try process.run()
                    let data = stdout.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    guard process.terminationStatus == 0 else {
                        throw ServicesFailed(status: process.terminationStatus)
                    }
                    return String(decoding: data, as: UTF8.self)
                })
            }
        }
    }

    struct ServicesFailed: Error, CustomStringConvertible {
        var status: Int32
        var description: String { "tools/lib/services.sh failed with status \(status)" }
    }
}
