@testable import AudoticsPostgres
import Synchronization
import Testing

@Suite("PostgresPool against a live server", .enabled(if: TestDatabase.isConfigured, TestDatabase.skipReason))
struct PostgresPoolTests {
    @Test("a statement is prepared once per connection and reused")
    func preparedStatementReuse() async throws {
        try await TestDatabase.withPool { pool in
            try await pool.withConnection { connection in
                let sql = "SELECT $1::int8 * 2 AS doubled"
                for value in 1...5 {
                    let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, bindings: bindings(value)))
                    #expect(try rows.first?.decode(Int.self, column: "doubled") == value * 2)
                }
                #expect(try await connection.preparedStatementCount() == 1)
                let prepared = try await connection.query(
                    "SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = \(sql)")
                #expect(try prepared.first?.decode(Int.self, column: "n") == 1)
                #expect(try await connection.preparedStatementCount() == 2)
            }
        }
    }

    @Test("when every connection is leased, a request fails with 53300 at its deadline")
    func exhaustion() async throws {
        try await TestDatabase.withPool(configure: { $0.maxConnections = 2 }) { pool in
            let release = AsyncGate()
            let holders = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<2 {
                        group.addTask {
                            try await pool.withConnection { connection in
                                _ = try await connection.query("SELECT 1")
                                await release.wait()
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            while pool.statistics.leased < 2 { try await Task.sleep(for: .milliseconds(5)) }
            let started = ContinuousClock.now
            let error = await #expect(throws: PostgresError.self) {
                try await pool.query("SELECT 1", deadline: .now + .milliseconds(200))
            }
            let waited = started.duration(to: .now)
            #expect(error?.code == .tooManyConnections)
            #expect(error?.message.contains("connection pool exhausted") == true)
            #expect(waited >= .milliseconds(190) && waited < .seconds(2), "waited \(waited)")
            release.open()
            try await holders.value
            #expect(try await pool.query("SELECT 1 AS one").first?.decode(Int.self, column: "one") == 1)
            #expect(pool.statistics.connections == 2)
        }
    }

    @Test("waiters give up at their own time limits, whatever order they came in, and the rest are still served")
    func waiterTimeLimits() async throws {
        try await TestDatabase.withPool(configure: { $0.maxConnections = 1 }) { pool in
            let release = AsyncGate()
            let holder = Task {
                try await pool.withConnection { connection in
                    _ = try await connection.query("SELECT 1")
                    await release.wait()
                }
            }
            while pool.statistics.leased < 1 { try await Task.sleep(for: .milliseconds(5)) }
            let started = ContinuousClock.now
            // The first waiter has the latest limit; later ones have earlier limits than the timer was set for.
            let limits: [Duration] = [.milliseconds(900), .milliseconds(500), .milliseconds(150)]
            let waiters = limits.map { limit in
                Task { () -> (Duration, SQLState?) in
                    do {
                        _ = try await pool.query("SELECT 1", deadline: started + limit)
                        return (started.duration(to: .now), nil)
                    } catch {
                        return (started.duration(to: .now), (error as? PostgresError)?.code)
                    }
                }
            }
            let patient = Task { try await pool.query("SELECT 2 AS two", deadline: started + .seconds(10)) }
            for (limit, waiter) in zip(limits, waiters) {
                let (waited, code) = await waiter.value
                #expect(code == .tooManyConnections)
                #expect(waited >= limit - .milliseconds(10) && waited < limit + .milliseconds(400), "waited \(waited) for \(limit)")
            }
            release.open()
            try await holder.value
            #expect(try await patient.value.first?.decode(Int.self, column: "two") == 2)
        }
    }

    @Test("200 concurrent tasks over 8 connections all get correct answers")
    func concurrency() async throws {
        try await TestDatabase.withPool(configure: { $0.maxConnections = 8 }) { pool in
            let table = TestDatabase.uniqueName("concurrency")
            _ = try await pool.query("CREATE TABLE \(identifier: table) (task int8 PRIMARY KEY)")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<200 {
                    group.addTask {
                        let rows = try await pool.query("SELECT \(task) + 1000 AS answer, pg_backend_pid() AS pid")
                        #expect(try rows.first?.decode(Int.self, column: "answer") == task + 1000)
                        _ = try await pool.query("INSERT INTO \(identifier: table) VALUES (\(task))")
                    }
                }
                try await group.waitForAll()
            }
            let rows = try await pool.query("SELECT count(*) AS n, sum(task)::int8 AS total FROM \(identifier: table)")
            #expect(try rows.first?.decode(Int.self, column: "n") == 200)
            #expect(try rows.first?.decode(Int.self, column: "total") == (0..<200).reduce(0, +))
            let statistics = pool.statistics
            #expect(statistics.connections <= 8)
            #expect(statistics.openConnections <= 8)
            #expect(statistics.leased == 0)
            _ = try await pool.query("DROP TABLE \(identifier: table)")
        }
    }

    @Test("statements waiting for a connection go to the server together, each with its own result, error and timeout")
    func batchedStatements() async throws {
        try await TestDatabase.withPool(configure: { $0.maxConnections = 1 }) { pool in
            let before = pool.statistics.statementsBatched
            // The one connection is busy while 60 statements queue up behind it.
            let holder = Task { try await pool.withConnection { try await $0.query("SELECT pg_sleep(0.5)") } }
            try await Task.sleep(for: .milliseconds(100))
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<60 {
                    // Three deadlines (none, 20 s, 40 s): statements are grouped by the statement_timeout they need.
                    let deadline: ContinuousClock.Instant? = switch task % 3 {
                    case 0: nil
                    case 1: started + .seconds(20)
                    default: started + .seconds(40)
                    }
                    group.addTask {
                        if task % 7 == 3 {
                            // A failing statement in the middle of a batch fails alone (22012, division by zero).
                            let error = await #expect(throws: PostgresError.self) {
                                try await pool.query("SELECT 1 / (\(task) - \(task)) AS never", deadline: deadline)
                            }
                            #expect(error?.code == SQLState(rawValue: "22012"))
                        } else {
                            let rows = try await pool.query(
                                "SELECT \(task) + 1000 AS answer, current_setting('statement_timeout') AS timeout",
                                deadline: deadline)
                            #expect(try rows.first?.decode(Int.self, column: "answer") == task + 1000)
                            let timeout = try rows.first?.decode(String.self, column: "timeout") ?? ""
                            // nil: the server's default (0); otherwise the time left, in seconds or milliseconds.
                            if deadline == nil {
                                #expect(timeout == "0")
                            } else {
                                #expect(timeout != "0", "statement \(task) ran without its timeout")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            _ = try await holder.value
            #expect(pool.statistics.statementsBatched - before > 0, "no statement was sent in a batch")
            #expect(pool.statistics.leased == 0)
            #expect(try await pool.query("SELECT 1 AS one").first?.decode(Int.self, column: "one") == 1)
        }
    }

    @Test("a caller cancelled while its statement is in a batch is failed at once; the batch's other statements run")
    func cancelInBatch() async throws {
        try await TestDatabase.withPool(configure: { $0.maxConnections = 1 }) { pool in
            let before = pool.statistics.statementsBatched
            let holder = Task { try await pool.withConnection { try await $0.query("SELECT pg_sleep(0.3)") } }
            try await Task.sleep(for: .milliseconds(100))
            // Three statements with the same deadline queue behind the holder, then run as one batch (1.2 s).
            let deadline = ContinuousClock.now + .seconds(20)
            let batched = (0..<3).map { index in
                Task { try await pool.query("SELECT pg_sleep(0.4)::text AS slept, \(index) AS n", deadline: deadline) }
            }
            try await Task.sleep(for: .milliseconds(400))
            let cancelledAt = ContinuousClock.now
            batched[2].cancel()
            let error = await #expect(throws: PostgresError.self) { try await batched[2].value }
            #expect(error?.code == .queryCanceled)
            #expect(cancelledAt.duration(to: .now) < .milliseconds(300), "the cancelled caller waited for the batch")
            for index in 0..<2 {
                #expect(try await batched[index].value.first?.decode(Int.self, column: "n") == index)
            }
            _ = try await holder.value
            #expect(pool.statistics.statementsBatched - before == 3, "the three statements did not run as one batch")
            #expect(try await pool.query("SELECT 1 AS one").first?.decode(Int.self, column: "one") == 1)
        }
    }

    @Test("a statement past its deadline fails with 57014, and later statements run without that timeout")
    func statementTimeout() async throws {
        try await TestDatabase.withPool(configure: { $0.maxConnections = 1 }) { pool in
            let started = ContinuousClock.now
            let error = await #expect(throws: PostgresError.self) {
                try await pool.query("SELECT pg_sleep(5)", deadline: .now + .milliseconds(300))
            }
            #expect(error?.code == .queryCanceled)
            #expect(started.duration(to: .now) < .seconds(2))
            // The same connection (pool of one) must not keep the 300 ms limit.
            _ = try await pool.query("SELECT pg_sleep(0.5)")
            let late = await #expect(throws: PostgresError.self) {
                try await pool.query("SELECT 1", deadline: .now - .milliseconds(1))
            }
            #expect(late?.code == .queryCanceled || late?.code == .tooManyConnections)
        }
    }

    @Test("statement_timeout is kept between statements with similar deadlines, and re-set or reset when they differ")
    func statementTimeoutReuse() async throws {
        try await TestDatabase.withPool(configure: { $0.maxConnections = 1 }) { pool in
            func timeout(deadline: ContinuousClock.Instant?) async throws -> String {
                try await pool.query("SHOW statement_timeout", deadline: deadline).first?.decode(String.self, column: 0) ?? ""
            }
            let first = try await timeout(deadline: .now + .seconds(10))
            // A deadline a little shorter reuses the timeout in force (no SET round trip) ...
            #expect(try await timeout(deadline: .now + .milliseconds(9_950)) == first)
            // ... a much shorter one must not wait for it, and a longer one must not be cut short by it.
            let short = try await timeout(deadline: .now + .seconds(2))
            #expect(short != first)
            #expect(try await timeout(deadline: .now + .seconds(20)) != short)
            // A statement without a deadline runs under the server's setting again.
            #expect(try await timeout(deadline: nil) == "0")

            // A short timeout left at session level by one lease neither cuts a later lease's transaction short ...
            _ = try await pool.query("SELECT 1", deadline: .now + .milliseconds(200))
            try await pool.withTransaction { connection in
                _ = try await connection.query("SELECT pg_sleep(0.4)")
            }
            // ... nor a later statement with a longer deadline.
            _ = try await pool.query("SELECT 1", deadline: .now + .milliseconds(200))
            _ = try await pool.query("SELECT pg_sleep(0.4)", deadline: .now + .seconds(5))
        }
    }

    @Test("a statement_timeout in force stands for a new deadline only within 1/64 early and 1/4 late")
    func statementTimeoutTolerance() {
        #expect(StatementTimeout.timeout(10_000, fits: 10_000))
        #expect(StatementTimeout.timeout(9_900, fits: 10_000))
        #expect(!StatementTimeout.timeout(9_800, fits: 10_000))
        #expect(StatementTimeout.timeout(12_500, fits: 10_000))
        #expect(!StatementTimeout.timeout(12_600, fits: 10_000))
        #expect(!StatementTimeout.timeout(300, fits: 1))
        #expect(StatementTimeout.timeout(1, fits: 1))
    }

    @Test("a pipeline sends a batch in one go and returns results in order; a failure rolls the batch back")
    func pipelining() async throws {
        try await TestDatabase.withPool { pool in
            let table = TestDatabase.uniqueName("pipeline")
            _ = try await pool.query("CREATE TABLE \(identifier: table) (id int8 PRIMARY KEY, name text)")
            var batch: [PostgresQuery] = (1...100).map { "INSERT INTO \(identifier: table) VALUES (\($0), \("n\($0)"))" }
            batch.append("SELECT count(*) AS n FROM \(identifier: table)")
            let results = try await pool.pipeline(batch)
            #expect(results.count == 101)
            #expect(results[0].commandTag == "INSERT 0 1")
            #expect(try results[100].first?.decode(Int.self, column: "n") == 100)

            let failing: [PostgresQuery] = [
                "INSERT INTO \(identifier: table) VALUES (\(1000), \("kept?"))",
                "INSERT INTO \(identifier: table) VALUES (\(1), \("duplicate"))",
                "INSERT INTO \(identifier: table) VALUES (\(1001), \("after"))",
            ]
            let error = await #expect(throws: PostgresError.self) { try await pool.pipeline(failing) }
            #expect(error?.code == .uniqueViolation)
            let count = try await pool.query("SELECT count(*) AS n FROM \(identifier: table)")
            #expect(try count.first?.decode(Int.self, column: "n") == 100)
            // The connection is usable after a failed pipeline.
            #expect(try await pool.pipeline(["SELECT 1 AS a", "SELECT 2 AS b"]).count == 2)
            _ = try await pool.query("DROP TABLE \(identifier: table)")
        }
    }

    @Test("a multi-host URL whose first host is unreachable connects to the second")
    func multiHost() async throws {
        let options = try PostgresConnectionString(try TestDatabase.url()).options
        let host = options["host"] ?? "127.0.0.1"
        let port = options["port"] ?? "5432"
        let url = "postgresql://\(options["user"] ?? "postgres")@127.0.0.1:1,\(host):\(port)/\(options["dbname"] ?? "postgres")"
        try await TestDatabase.withPool(url: url) { pool in
            let rows = try await pool.query("SELECT inet_server_port() AS port")
            #expect(try rows.first?.decode(Int32.self, column: "port") == Int32(port))
        }
    }

    @Test("an unreachable server fails with 08001")
    func unreachable() async throws {
        try await TestDatabase.withPool(url: "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2") { pool in
            let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
            #expect(error?.code == .unableToConnect)
        }
    }

    @Test("notices reach the handler")
    func notices() async throws {
        let received = Mutex<[PostgresNotice]>([])
        try await TestDatabase.withPool(configure: { configuration in
            configuration.noticeHandler = { notice in received.withLock { $0.append(notice) } }
        }) { pool in
            _ = try await pool.query("DO $$ BEGIN RAISE NOTICE 'hello from plpgsql'; RAISE WARNING 'careful'; END $$")
        }
        let notices = received.withLock { $0 }
        #expect(notices.map(\.message) == ["hello from plpgsql", "careful"])
        #expect(notices.map(\.severity) == ["NOTICE", "WARNING"])
    }

    @Test("cancelling the task cancels the running statement")
    func cancellation() async throws {
        try await TestDatabase.withPool { pool in
            let started = ContinuousClock.now
            let task = Task { try await pool.query("SELECT pg_sleep(10)") }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            let result = await task.result
            #expect(throws: PostgresError.self) { try result.get() }
            #expect(started.duration(to: .now) < .seconds(5))
            #expect(try await pool.query("SELECT 1 AS one").first?.decode(Int.self, column: "one") == 1)
        }
    }

    @Test("after shutdown, requests fail with 08003")
    func shutdown() async throws {
        let pool = PostgresPool(configuration: try PostgresPool.Configuration(url: TestDatabase.url()))
        _ = try await pool.query("SELECT 1")
        await pool.shutdown()
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error?.code == .connectionDoesNotExist)
        #expect(pool.statistics.openConnections == 0)
    }

    private func bindings(_ value: Int) -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(value)
        return bindings
    }
}

/// A gate tasks wait at until it is opened.
final class AsyncGate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

@Suite("PostgresPool connection limits", .enabled(if: TestDatabase.isConfigured, TestDatabase.skipReason))
struct PostgresPoolLimitTests {
    @Test("an idle connection is closed after the idle timeout and reopened on demand")
    func idleTimeout() async throws {
        try await TestDatabase.withPool(configure: { $0.idleTimeout = .milliseconds(200) }) { pool in
            _ = try await pool.query("SELECT 1")
            #expect(pool.statistics.openConnections == 1)
            try await Task.sleep(for: .milliseconds(700))
            #expect(pool.statistics.openConnections == 0)
            _ = try await pool.query("SELECT 1")
            #expect(pool.statistics.openConnections == 1)
            #expect(pool.statistics.connectionsOpened == 2)
        }
    }

    @Test("a connection past its lifetime is replaced before reuse")
    func lifetime() async throws {
        try await TestDatabase.withPool(configure: {
            $0.maxConnections = 1
            $0.maxLifetime = .milliseconds(200)
        }) { pool in
            let first = try await pool.query("SELECT pg_backend_pid() AS pid").first?.decode(Int32.self, column: "pid")
            let again = try await pool.query("SELECT pg_backend_pid() AS pid").first?.decode(Int32.self, column: "pid")
            #expect(first == again)
            try await Task.sleep(for: .milliseconds(300))
            let later = try await pool.query("SELECT pg_backend_pid() AS pid").first?.decode(Int32.self, column: "pid")
            #expect(later != first)
        }
    }
}
