public import Foundation

/// The migrations shipped with the code: `SQL/<service>/<NNNN>_<name>.sql`, one folder per service.
public struct MigrationCatalog: Sendable {
    /// The services in the order their migrations apply.
    public static let serviceOrder = ["users", "music", "playlists", "analytics", "recommendations"]

    /// Every migration, by service in `serviceOrder` and then by version.
    public let migrations: [Migration]

    /// Creates a catalog from explicit migrations (tests use this).
    public init(migrations: [Migration]) throws(MigrationError) {
        var seen = Set<String>()
        for migration in migrations where !seen.insert("\(migration.service)/\(migration.version)").inserted {
            throw MigrationError(message: "two migrations share version \(migration.version) of \(migration.service)")
        }
        self.migrations = migrations.sorted { lhs, rhs in
            let left = Self.serviceOrder.firstIndex(of: lhs.service) ?? Int.max
            let right = Self.serviceOrder.firstIndex(of: rhs.service) ?? Int.max
            return (left, lhs.service, lhs.version) < (right, rhs.service, rhs.version)
        }
    }

    /// The migrations bundled with this build.
    public static func bundled() throws(MigrationError) -> MigrationCatalog {
        guard let folder = Bundle.module.url(forResource: "SQL", withExtension: nil) else {
            throw MigrationError(message: "the migrations are missing from the build (no SQL resource folder)")
        }
        return try load(from: folder)
    }

    /// Reads `<folder>/<service>/<NNNN>_<name>.sql`.
    public static func load(from folder: URL) throws(MigrationError) -> MigrationCatalog {
        let files = FileManager.default
        var migrations: [Migration] = []
        do {
            for service in try files.contentsOfDirectory(atPath: folder.path).sorted() {
                let serviceFolder = folder.appendingPathComponent(service)
                for file in try files.contentsOfDirectory(atPath: serviceFolder.path).sorted() where file.hasSuffix(".sql") {
                    let stem = file.dropLast(4)
                    guard let separator = stem.firstIndex(of: "_"), let version = Int(stem[..<separator]), version > 0 else {
                        throw MigrationError(message: "\(service)/\(file): migration files are named NNNN_name.sql")
                    }
                    let sql = try String(contentsOf: serviceFolder.appendingPathComponent(file), encoding: .utf8)
                    migrations.append(Migration(service: service, version: version, name: String(stem[stem.index(after: separator)...]), sql: sql))
                }
            }
        } catch let error as MigrationError {
            throw error
        } catch {
            throw MigrationError(message: "cannot read the migrations in \(folder.path)", cause: "\(error)")
        }
        return try MigrationCatalog(migrations: migrations)
    }
}
