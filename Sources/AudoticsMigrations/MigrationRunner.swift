public import AudoticsPostgres

/// Applies pending migrations in order, each in its own transaction, under an advisory lock, and records
/// them in `public.audotics_migrations`.
///
/// Blocking: it drives a `PostgresConnection`, so run it from a command-line process or a dedicated
/// thread, never from an event loop or the cooperative pool.
public struct MigrationRunner {
    /// The key of the session-level advisory lock that serialises concurrent runners.
    public static let advisoryLockKey: Int64 = 0x4155_4449_4F54_4943  // "AUDIOTIC"

    /// What was applied, and what was already there.
    public struct Report: Hashable, Sendable {
        /// Migrations applied by this run, in order.
        public var applied: [Migration]
        /// How many migrations were already recorded.
        public var alreadyApplied: Int
    }

    /// One row of the migrations table.
    public struct AppliedMigration: Hashable, Sendable {
        /// The service.
        public var service: String
        /// The version.
        public var version: Int
        /// The descriptive name.
        public var name: String
        /// The checksum recorded when applied.
        public var checksum: String
        /// When it was applied, as PostgreSQL prints a `timestamptz`.
        public var appliedAt: String
    }

    private let connection: PostgresConnection
    private let catalog: MigrationCatalog

    /// Creates a runner for a connection and a catalog.
    public init(connection: PostgresConnection, catalog: MigrationCatalog) {
        self.connection = connection
        self.catalog = catalog
    }

    /// Applies every pending migration; fails without applying anything if an applied file was edited.
    public func migrate() throws(MigrationError) -> Report {
        try run("SELECT pg_advisory_lock($1)", [String(Self.advisoryLockKey)])
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock($1)", parameters: [String(Self.advisoryLockKey)]) }
        try createTable()
        let applied = try appliedMigrations()
        let recorded = Dictionary(applied.map { ("\($0.service)/\($0.version)", $0) }, uniquingKeysWith: { first, _ in first })
        var pending: [Migration] = []
        for migration in catalog.migrations {
            if let row = recorded["\(migration.service)/\(migration.version)"] {
                guard row.checksum == (try migration.checksum) else {
                    throw MigrationError(
                        message: "\(migration.service)/\(migration.version)_\(migration.name) was changed after it was applied; "
                            + "add a new migration instead of editing an applied one")
                }
            } else {
                pending.append(migration)
            }
        }
        for migration in pending { try apply(migration) }
        return Report(applied: pending, alreadyApplied: applied.count)
    }

    /// The recorded migrations, oldest first (empty when the table does not exist yet).
    public func appliedMigrations() throws(MigrationError) -> [AppliedMigration] {
        let exists = try run("SELECT to_regclass('public.audotics_migrations') IS NOT NULL AS present", [])
        guard exists.rows.first?.first == "t" else { return [] }
        let result = try run(
            "SELECT service, version, name, checksum, applied_at FROM public.audotics_migrations ORDER BY applied_at, service, version", [])
        return result.rows.map { row in
            AppliedMigration(
                service: row[0] ?? "", version: Int(row[1] ?? "") ?? 0, name: row[2] ?? "", checksum: row[3] ?? "",
                appliedAt: row[4] ?? "")
        }
    }

    private func createTable() throws(MigrationError) {
        try run(
            """
            CREATE TABLE IF NOT EXISTS public.audotics_migrations (
                service    text        NOT NULL,
                version    integer     NOT NULL,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (service, version)
            )
            """, [])
    }

    private func apply(_ migration: Migration) throws(MigrationError) {
        let label = "\(migration.service)/\(paddedVersion(migration.version))_\(migration.name)"
        do {
            try connection.executeScript("BEGIN")
            try connection.executeScript(migration.sql)
            _ = try connection.execute(
                "INSERT INTO public.audotics_migrations (service, version, name, checksum) VALUES ($1, $2, $3, $4)",
                parameters: [migration.service, String(migration.version), migration.name, try migration.checksum])
            try connection.executeScript("COMMIT")
        } catch {
            _ = try? connection.executeScript("ROLLBACK")
            throw MigrationError(message: "migration \(label) failed and was rolled back", cause: "\(error)")
        }
    }

    @discardableResult
    private func run(_ sql: String, _ parameters: [String?]) throws(MigrationError) -> PostgresResult {
        do {
            return try connection.execute(sql, parameters: parameters)
        } catch {
            throw MigrationError(message: "migration bookkeeping failed", cause: "\(error)")
        }
    }
}

/// A version number padded to four digits, as in the file names.
func paddedVersion(_ value: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: Swift.max(0, 4 - digits.count)) + digits
}
