import AudoticsTestSupport
import AudoticsMigrations
import AudoticsPostgres
import Foundation
import Testing

/// The migration runner against a real PostgreSQL, each test in a database of its own.
@Suite("migrations on PostgreSQL", .serialized)
struct MigrationRunnerTests {
    @Test("the bundled migrations apply once; a second run applies nothing")
    func bundled() throws {
        try withScratchDatabase { url in
            let catalog = try MigrationCatalog.bundled()
            #expect(catalog.migrations.map(\.service).starts(with: ["users"]))
            let first = try MigrationRunner(connection: PostgresConnection(url: url), catalog: catalog).migrate()
            #expect(first.applied.count == catalog.migrations.count)
            let second = try MigrationRunner(connection: PostgresConnection(url: url), catalog: catalog).migrate()
            #expect(second.applied.isEmpty)
            #expect(second.alreadyApplied == catalog.migrations.count)
            let schemas = try PostgresConnection(url: url).execute(
                "SELECT count(*) FROM pg_namespace WHERE nspname = ANY($1::text[])",
                parameters: ["{users,music,playlists,analytics,recommendations}"])
            #expect(schemas.rows.first?.first == "5")
        }
    }

    @Test("a failing migration is rolled back and not recorded; earlier ones stay")
    func failureRollsBack() throws {
        try withScratchDatabase { url in
            let catalog = try MigrationCatalog(migrations: [
                Migration(service: "music", version: 1, name: "ok", sql: "CREATE TABLE public.first_table (id int);"),
                Migration(
                    service: "music", version: 2, name: "broken",
                    sql: "CREATE TABLE public.second_table (id int); SELECT * FROM no_such_table;"),
            ])
            let connection = try PostgresConnection(url: url)
            #expect(throws: MigrationError.self) { try MigrationRunner(connection: connection, catalog: catalog).migrate() }
            let tables = try connection.execute(
                "SELECT to_regclass('public.first_table') IS NOT NULL, to_regclass('public.second_table') IS NOT NULL")
            #expect(tables.rows.first == ["t", "f"])
            let recorded = try MigrationRunner(connection: connection, catalog: catalog).appliedMigrations()
            #expect(recorded.map(\.version) == [1])
        }
    }

    @Test("editing an applied migration is refused")
    func checksum() throws {
        try withScratchDatabase { url in
            let original = Migration(service: "users", version: 1, name: "t", sql: "CREATE TABLE public.t (id int);")
            _ = try MigrationRunner(connection: PostgresConnection(url: url), catalog: MigrationCatalog(migrations: [original])).migrate()
            var edited = original
            edited.sql = "CREATE TABLE public.t (id bigint);"
            let runner = try MigrationRunner(connection: PostgresConnection(url: url), catalog: MigrationCatalog(migrations: [edited]))
            #expect(throws: MigrationError.self) { try runner.migrate() }
        }
    }

    @Test("two runners at once apply each migration exactly once")
    func concurrentRunners() throws {
        try withScratchDatabase { url in
            let catalog = try MigrationCatalog(migrations: (1...5).map { version in
                Migration(service: "analytics", version: version, name: "m\(version)",
                          sql: "CREATE TABLE public.t\(version) (id int); SELECT pg_sleep(0.02);")
            })
            let results = Results()
            let threads = (0..<2).map { _ in
                Thread {
                    do {
                        let report = try MigrationRunner(connection: PostgresConnection(url: url), catalog: catalog).migrate()
                        results.add(report.applied.count)
                    } catch {
                        results.add(-1)
                    }
                }
            }
            threads.forEach { $0.start() }
            while results.count < 2 { usleep(10_000) }
            #expect(results.values.sorted() == [0, 5])
        }
    }

    @Test("migration files must be named NNNN_name.sql")
    func fileNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("music"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "SELECT 1;".write(to: folder.appendingPathComponent("music/first.sql"), atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.self) { try MigrationCatalog.load(from: folder) }
    }
}

/// Thread-safe collection of the concurrent runners' results.
final class Results: @unchecked Sendable {
    // @unchecked Sendable: every access to `storage` holds `lock`.
    private let lock = NSLock()
    private var storage: [Int] = []

    func add(_ value: Int) { lock.withLock { storage.append(value) } }
    var values: [Int] { lock.withLock { storage } }
    var count: Int { values.count }
}

/// Runs `body` with the URL of a new, empty database, dropped afterwards.
func withScratchDatabase(_ body: (String) throws -> Void) throws {
    guard let base = ProcessInfo.processInfo.environment["AUDOTICS_TEST_DATABASE_URL"], !base.isEmpty else {
        Issue.record("AUDOTICS_TEST_DATABASE_URL is not set: run the tests with tools/test")
        return
    }
    let name = "audotics_migrations_\(UInt32.random(in: 0...UInt32.max))"
    let admin = try PostgresConnection(url: base)
    _ = try admin.execute("CREATE DATABASE \(name)")
    defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    try body(replacingDatabase(in: base, with: name))
}
