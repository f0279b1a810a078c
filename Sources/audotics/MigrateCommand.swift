import ArgumentParser
import AudoticsMigrations
import AudoticsPostgres
import Foundation

/// `audotics migrate`: applies the services' pending schema migrations.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations of every service (or list them with --status).",
        discussion: """
            Migrations are versioned SQL files per service, applied in order, each in its own transaction, \
            under a PostgreSQL advisory lock, and recorded in public.audotics_migrations. Safe to run \
            concurrently and repeatedly.
            """
    )

    @Option(name: .long, help: "libpq connection URL (default: $AUDOTICS_DATABASE_URL).")
    var databaseURL: String?

    @Flag(name: .long, help: "List applied and pending migrations without applying anything.")
    var status = false

    func run() throws {
        guard let url = databaseURL ?? ProcessInfo.processInfo.environment["AUDOTICS_DATABASE_URL"], !url.isEmpty else {
            throw ValidationError("give --database-url or set AUDOTICS_DATABASE_URL")
        }
        let connection = try PostgresConnection(url: url)
        let catalog = try MigrationCatalog.bundled()
        let runner = MigrationRunner(connection: connection, catalog: catalog)
        if status {
            let applied = Set(try runner.appliedMigrations().map { "\($0.service)/\($0.version)" })
            for migration in catalog.migrations {
                let state = applied.contains("\(migration.service)/\(migration.version)") ? "applied" : "pending"
                print("\(state)  \(migration.service)/\(migration.version) \(migration.name)")
            }
            return
        }
        try Self.apply(runner: runner)
    }

    /// Applies pending migrations over a new connection to `url` (blocking), printing what it did.
    static func apply(url: String) throws {
        try apply(runner: MigrationRunner(connection: PostgresConnection(url: url), catalog: MigrationCatalog.bundled()))
    }

    private static func apply(runner: MigrationRunner) throws {
        let report = try runner.migrate()
        for migration in report.applied {
            print("applied \(migration.service)/\(migration.version) \(migration.name)")
        }
        print("migrations: \(report.applied.count) applied, \(report.alreadyApplied) already up to date")
    }
}
