import AudoticsPostgres
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The database `tools/test` starts; a missing URL fails the test rather than skipping it.
enum TestDatabase {
    /// Whether `tools/test` (or the caller) set `AUDOTICS_TEST_DATABASE_URL`, for suites that skip without it.
    static let isConfigured = getenv("AUDOTICS_TEST_DATABASE_URL") != nil

    /// The comment shown when a suite is skipped for want of a database.
    static let skipReason: Comment = "AUDOTICS_TEST_DATABASE_URL is not set: run the tests with tools/test, which starts a private PostgreSQL"

    static func url() throws -> String {
        try #require(
            getenv("AUDOTICS_TEST_DATABASE_URL").map { String(cString: $0) },
            "AUDOTICS_TEST_DATABASE_URL is not set: run the tests with tools/test, which starts a private PostgreSQL"
        )
    }

    static func connect() throws -> PostgresConnection {
        try PostgresConnection(url: url())
    }

    /// Runs `body` with a pool on the test database, shutting it down afterwards whatever happens.
    static func withPool<Value>(
        url: String? = nil,
        configure: (inout PostgresPool.Configuration) -> Void = { _ in },
        _ body: (PostgresPool) async throws -> Value
    ) async throws -> Value {
        var configuration = try PostgresPool.Configuration(url: url ?? Self.url())
        configuration.maxConnections = 4
        configure(&configuration)
        let pool = PostgresPool(configuration: configuration)
        do {
            let value = try await body(pool)
            await pool.shutdown()
            return value
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    /// A table name unique to one test, so that tests can run in parallel on one database.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
    }
}

/// A counter tasks can share.
final class Counter: Sendable {
    private let value = Synchronization.Mutex(0)

    /// Adds one and returns the new count.
    func increment() -> Int {
        value.withLock { count in
            count += 1
            return count
        }
    }

    var current: Int { value.withLock { $0 } }
}
