@testable import AudoticsPostgres
import Synchronization
import Testing

/// The pool's loop: statements of many callers pipelined on shared connections, leases among them, and how
/// connections come and go.
@Suite("PostgresPool sharing connections", .enabled(if: TestDatabase.isConfigured, TestDatabase.skipReason))
struct PostgresPoolSharingTests {
    @Test("statements of 300 callers on one connection each get their own result or error")
    func sharedConnection() async throws {
        try await TestDatabase.withPool(configure: { $0.maxConnections = 1 }) { pool in
            let table = TestDatabase.uniqueName("shared")
            _ = try await pool.query("CREATE TABLE \(identifier: table) (id int8 PRIMARY KEY)")
            let before = pool.statistics.statementsBatched
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<300 {
                    group.addTask {
                        switch task % 5 {
                        case 0:
                            // The same broken SQL from many callers at once: each gets the syntax error, never a
                            // missing prepared statement, however the prepares and executions interleave.
                            let error = await #expect(throws: PostgresError.self) {
                                try await pool.query(PostgresQuery(unsafeSQL: "SELEC \(task % 3)"))
                            }
                            #expect(error?.code == .syntaxError, "\(String(describing: error))")
                        case 1:
                            let error = await #expect(throws: PostgresError.self) {
                                try await pool.query("SELECT 1 / (\(task) - \(task)) AS never")
                            }
                            #expect(error?.code == SQLState(rawValue: "22012"))
                        case 2:
                            // Every id twice: exactly one insert of each pair succeeds.
                            do {
                                _ = try await pool.query("INSERT INTO \(identifier: table) VALUES (\(task / 10))")
                            } catch let error as PostgresError {
                                #expect(error.code == .uniqueViolation)
                            }
                        case 3:
                            let rows = try await pool.pipeline([
                                "SELECT \(task) AS a", "SELECT \(task) * 2 AS b",
                            ])
                            #expect(try rows[1].first?.decode(Int.self, column: "b") == task * 2)
                        default:
                            let rows = try await pool.query("SELECT \(task) + 1000 AS answer")
                            #expect(try rows.first?.decode(Int.self, column: "answer") == task + 1000)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let count = try await pool.query("SELECT count(*) AS n FROM \(identifier: table)")
            #expect(try count.first?.decode(Int.self, column: "n") == 30)
            let statistics = pool.statistics
            #expect(statistics.statementsBatched - before > 0, "no statement was pipelined with another caller's")
            #expect(statistics.connectionsOpened == 1)
            _ = try await pool.query("DROP TABLE \(identifier: table)")
        }
    }

    @Test("a full statement cache is emptied between pipelined groups without losing a statement")
    func statementCacheEviction() async throws {
        try await TestDatabase.withPool(configure: {
            $0.maxConnections = 1
            $0.maxPreparedStatements = 4
        }) { pool in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<200 {
                    group.addTask {
                        // 20 distinct statements through a cache of 4.
                        let sql = "SELECT $1::int8 + \(task % 20) AS value"
                        var bindings = PostgresBindings()
                        bindings.append(task)
                        let rows = try await pool.query(PostgresQuery(unsafeSQL: sql, bindings: bindings))
                        #expect(try rows.first?.decode(Int.self, column: "value") == task + task % 20)
                    }
                }
                try await group.waitForAll()
            }
            let prepared = try await pool.withConnection { connection in try await connection.preparedStatementCount() }
            #expect(prepared <= 4)
        }
    }

    @Test("a transaction gets a connection while a stream of statements keeps it busy")
    func leaseAmongStatements() async throws {
        try await TestDatabase.withPool(configure: { $0.maxConnections = 1 }) { pool in
            let stop = StopFlag()
            let load = Task {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<24 {
                        group.addTask {
                            var done = 0
                            while !stop.isSet {
                                _ = try await pool.query("SELECT pg_sleep(0.001)")
                                done += 1
                            }
                            return done
                        }
                    }
                    return try await group.reduce(0, +)
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            let started = ContinuousClock.now
            for attempt in 0..<3 {
                let value = try await pool.withTransaction(deadline: .now + .seconds(5)) { connection in
                    try await connection.query("SELECT \(attempt) AS n").first?.decode(Int.self, column: "n")
                }
                #expect(value == attempt)
            }
            let waited = started.duration(to: .now)
            stop.set()
            let statements = try await load.value
            #expect(waited < .seconds(3), "three transactions took \(waited) among the statements")
            #expect(statements > 100)
        }
    }

    @Test("a connection the server closes is dropped at once, and the next statement gets a new one")
    func serverClosesConnection() async throws {
        try await TestDatabase.withPool(configure: { $0.maxConnections = 1 }) { pool in
            let pid = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first?.decode(Int32.self, column: "pid"))
            try await TestDatabase.withPool { other in
                _ = try await other.query("SELECT pg_terminate_backend(\(pid))")
            }
            // The pool watches the idle connection's socket: it notices without sending anything.
            let deadline = ContinuousClock.now + .seconds(5)
            while pool.statistics.openConnections > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(pool.statistics.openConnections == 0)
            let next = try await pool.query("SELECT pg_backend_pid() AS pid").first?.decode(Int32.self, column: "pid")
            #expect(next != nil && next != pid)
        }
    }

    @Test("while the server is unreachable, requests fail with 08001 and connection attempts back off")
    func unreachableBackoff() async throws {
        try await TestDatabase.withPool(url: "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2") { pool in
            let started = ContinuousClock.now
            let codes = try await withThrowingTaskGroup(of: SQLState?.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        do {
                            _ = try await pool.query("SELECT 1")
                            return nil
                        } catch let error as PostgresError {
                            return error.code
                        }
                    }
                }
                return try await group.reduce(into: [SQLState?]()) { $0.append($1) }
            }
            #expect(codes.allSatisfy { $0 == .unableToConnect }, "\(Set(codes.map { $0?.rawValue ?? "ok" }))")
            #expect(started.duration(to: .now) < .seconds(3))
            let failed = pool.statistics.connectionAttemptsFailed
            #expect(failed >= 1 && failed <= 10, "\(failed) connection attempts for 100 requests")
        }
    }

    @Test("a statement whose implicit transaction fails to commit fails (a deferred constraint)")
    func commitTimeFailure() async throws {
        try await TestDatabase.withPool(configure: { $0.maxConnections = 1 }) { pool in
            let table = TestDatabase.uniqueName("deferred")
            _ = try await pool.query("CREATE TABLE \(identifier: table) (id int8 UNIQUE DEFERRABLE INITIALLY DEFERRED)")
            _ = try await pool.query("INSERT INTO \(identifier: table) VALUES (1)")
            // The insert itself succeeds; the check at commit fails, after the statement's own result.
            let error = await #expect(throws: PostgresError.self) {
                try await pool.query("INSERT INTO \(identifier: table) VALUES (1) RETURNING id")
            }
            #expect(error?.code == .uniqueViolation)
            let count = try await pool.query("SELECT count(*) AS n FROM \(identifier: table)")
            #expect(try count.first?.decode(Int.self, column: "n") == 1)
            _ = try await pool.query("DROP TABLE \(identifier: table)")
        }
    }

    @Test("a prepared statement whose result type changed is prepared again")
    func invalidatedStatement() async throws {
        try await TestDatabase.withPool(configure: { $0.maxConnections = 1 }) { pool in
            let table = TestDatabase.uniqueName("altered")
            _ = try await pool.query("CREATE TABLE \(identifier: table) (a int8)")
            _ = try await pool.query("INSERT INTO \(identifier: table) VALUES (1)")
            let select: PostgresQuery = "SELECT * FROM \(identifier: table)"
            #expect(try await pool.query(select).columns.count == 1)
            _ = try await pool.query("ALTER TABLE \(identifier: table) ADD COLUMN b int8")
            do {
                _ = try await pool.query(select)
            } catch let error as PostgresError {
                #expect(error.code == SQLState(rawValue: "0A000"))
            }
            #expect(try await pool.query(select).columns.count == 2)
            _ = try await pool.query("DROP TABLE \(identifier: table)")
        }
    }
}

/// A flag tasks poll to know when to stop.
private final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
