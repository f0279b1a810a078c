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
