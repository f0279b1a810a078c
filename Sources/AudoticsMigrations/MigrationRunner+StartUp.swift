public import AudoticsPostgres
import Foundation

extension MigrationRunner {
    /// Applies every pending migration for a server that is starting (`audotics serve` when asked to
    /// migrate), from async code: the blocking connection and the runner live on a thread of their own, so
    /// neither the cooperative pool nor an event loop ever waits on the database.
    ///
    /// Safe with several replicas starting at once: the advisory lock serialises them and each migration
    /// applies exactly once. The connection is closed before this returns.
    public static func migrateOnStartUp(
        connectionString: PostgresConnectionString, catalog: MigrationCatalog
    ) async throws(MigrationError) -> Report {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Report, MigrationError>, Never>) in
            Thread.detachNewThread {
                continuation.resume(returning: Result { () throws(MigrationError) -> Report in
                    let connection: PostgresConnection
                    do {
                        connection = try PostgresConnection(connectionString: connectionString)
                    } catch {
                        throw MigrationError(message: "cannot connect to migrate", cause: "\(error)")
                    }
                    return try MigrationRunner(connection: connection, catalog: catalog).migrate()
                })
            }
        }
        return try result.get()
    }
}
