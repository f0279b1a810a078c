internal import AudoticsTLS

/// One versioned SQL migration of one service's schema.
public struct Migration: Hashable, Sendable {
    /// The service (and schema) the migration belongs to, for example `music`.
    public var service: String
    /// The version, from the file name `NNNN_name.sql`; versions of a service apply in ascending order.
    public var version: Int
    /// The descriptive part of the file name.
    public var name: String
    /// The SQL script.
    public var sql: String

    /// Creates a migration.
    public init(service: String, version: Int, name: String, sql: String) {
        self.service = service
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// A hex SHA-256 of the script, recorded when applied so later edits of an applied file are caught.
    public var checksum: String {
        get throws(MigrationError) {
            do {
                return try SHA256.hash(Array(sql.utf8)).map { byte in
                    let hex = String(byte, radix: 16)
                    return byte < 16 ? "0" + hex : hex
                }.joined()
            } catch {
                throw MigrationError(message: "cannot hash \(service)/\(version): \(error)")
            }
        }
    }
}
