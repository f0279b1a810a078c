import AudoticsTestSupport
import AudoticsMigrations
import AudoticsPostgres
import Foundation
import Testing

@Suite("migrations at start-up")
struct MigrationStartUpTests {
    @Test("migrateOnStartUp applies the bundled migrations from async code, once")
    func startUp() async throws {
        guard let base = ProcessInfo.processInfo.environment["AUDOTICS_TEST_DATABASE_URL"], !base.isEmpty else {
            Issue.record("AUDOTICS_TEST_DATABASE_URL is not set: run the tests with tools/test")
            return
        }
        let name = "audotics_startup_\(UInt32.random(in: 0...UInt32.max))"
        let pool = PostgresPool(configuration: try PostgresPool.Configuration(url: base))
        _ = try await pool.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        do {
            let url = try PostgresConnectionString(replacingDatabase(in: base, with: name))
            let catalog = try MigrationCatalog.bundled()
            let first = try await MigrationRunner.migrateOnStartUp(connectionString: url, catalog: catalog)
            #expect(first.applied.count == catalog.migrations.count)
            let second = try await MigrationRunner.migrateOnStartUp(connectionString: url, catalog: catalog)
            #expect(second.applied.isEmpty)
        } catch {
            Issue.record("\(error)")
        }
        _ = try await pool.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        await pool.shutdown()
    }
}
