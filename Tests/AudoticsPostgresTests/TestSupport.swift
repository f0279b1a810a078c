import AudoticsPostgres
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The database `tools/test` starts; a missing URL fails the test rather than skipping it.
enum TestDatabase {
    static func url() throws -> String {
        try #require(
            getenv("AUDOTICS_TEST_DATABASE_URL").map { String(cString: $0) },
            "AUDOTICS_TEST_DATABASE_URL is not set: run the tests with tools/test, which starts a private PostgreSQL"
        )
    }

    static func connect() throws -> PostgresConnection {
        try PostgresConnection(url: url())
    }
}
