import AudoticsPostgres
import Synchronization
import Testing

@Suite("Transactions against a live server", .enabled(if: TestDatabase.isConfigured, TestDatabase.skipReason))
struct PostgresTransactionTests {
    struct Boom: Error {}

    @Test("a transaction commits when its body returns and rolls back when it throws")
    func commitAndRollback() async throws {
        try await TestDatabase.withPool { pool in
            let table = TestDatabase.uniqueName("tx")
            _ = try await pool.query("CREATE TABLE \(identifier: table) (id int8 PRIMARY KEY)")
            let inserted = try await pool.withTransaction { connection in
                _ = try await connection.query("INSERT INTO \(identifier: table) VALUES (\(1))")
                return try await connection.query("INSERT INTO \(identifier: table) VALUES (\(2))").affectedRows
            }
            #expect(inserted == 1)
            await #expect(throws: Boom.self) {
                try await pool.withTransaction { connection in
                    _ = try await connection.query("INSERT INTO \(identifier: table) VALUES (\(3))")
                    throw Boom()
                }
            }
            // A failed statement the body swallowed still rolls the transaction back (COMMIT would not commit).
            let swallowed = await #expect(throws: PostgresError.self) {
                try await pool.withTransaction { connection in
                    _ = try await connection.query("INSERT INTO \(identifier: table) VALUES (\(4))")
                    _ = try? await connection.query("INSERT INTO \(identifier: table) VALUES (\(1))")
                }
            }
            #expect(swallowed?.code == .inFailedTransaction)
            let rows = try await pool.query("SELECT id FROM \(identifier: table) ORDER BY id")
            #expect(try rows.map { try $0.decode(Int.self, column: 0) } == [1, 2])
            _ = try await pool.query("DROP TABLE \(identifier: table)")
        }
    }

    @Test("a transaction that loses a serialization conflict is retried and then succeeds")
    func serializationRetry() async throws {
        try await TestDatabase.withPool { pool in
            let table = TestDatabase.uniqueName("counter")
            _ = try await pool.query("CREATE TABLE \(identifier: table) (id int8 PRIMARY KEY, value int8 NOT NULL)")
            _ = try await pool.query("INSERT INTO \(identifier: table) VALUES (1, 0)")
            let bothRead = AsyncBarrier(parties: 2)
            let attempts = Counter()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await pool.withTransaction(isolation: .serializable) { connection in
                            let attempt = attempts.increment()
                            let read = try await connection.query("SELECT value FROM \(identifier: table) WHERE id = 1")
                            let value = try read.first!.decode(Int.self, column: "value")
                            // The first two attempts both read before either writes: a guaranteed conflict.
                            if attempt <= 2 { await bothRead.arrive() }
                            _ = try await connection.query("UPDATE \(identifier: table) SET value = \(value + 1) WHERE id = 1")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let final = try await pool.query("SELECT value FROM \(identifier: table) WHERE id = 1")
            #expect(try final.first?.decode(Int.self, column: "value") == 2)
            #expect(attempts.current == 3)
            _ = try await pool.query("DROP TABLE \(identifier: table)")
        }
    }

    @Test("without retries the same conflict surfaces as 40001")
    func serializationFailureSurfaces() async throws {
        try await TestDatabase.withPool { pool in
            let table = TestDatabase.uniqueName("counter")
            _ = try await pool.query("CREATE TABLE \(identifier: table) (id int8 PRIMARY KEY, value int8 NOT NULL)")
            _ = try await pool.query("INSERT INTO \(identifier: table) VALUES (1, 0)")
            let bothRead = AsyncBarrier(parties: 2)
            let outcomes = await withTaskGroup(of: Result<Void, any Error>.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        await Result {
                            try await pool.withTransaction(isolation: .serializable, maxAttempts: 1) { connection in
                                let read = try await connection.query("SELECT value FROM \(identifier: table) WHERE id = 1")
                                let value = try read.first!.decode(Int.self, column: "value")
                                await bothRead.arrive()
                                _ = try await connection.query("UPDATE \(identifier: table) SET value = \(value + 1) WHERE id = 1")
                            }
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let failures = outcomes.compactMap { outcome -> PostgresError? in
                if case .failure(let error) = outcome { return error as? PostgresError }
                return nil
            }
            #expect(failures.map(\.code) == [.serializationFailure])
            _ = try await pool.query("DROP TABLE \(identifier: table)")
        }
    }

    @Test("a transaction's deadline becomes its statement_timeout")
    func transactionDeadline() async throws {
        try await TestDatabase.withPool(configure: { $0.maxConnections = 1 }) { pool in
            let started = ContinuousClock.now
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withTransaction(deadline: .now + .milliseconds(300)) { connection in
                    _ = try await connection.query("SELECT pg_sleep(5)")
                }
            }
            #expect(error?.code == .queryCanceled)
            #expect(started.duration(to: .now) < .seconds(2))
            // SET LOCAL ended with the transaction.
            let timeout = try await pool.query("SHOW statement_timeout")
            #expect(try timeout.first?.decode(String.self, column: 0) == "0")
        }
    }
}

/// Suspends each arriving task until `parties` tasks have arrived.
final class AsyncBarrier: Sendable {
    private let parties: Int
    private let state = Mutex<(count: Int, waiters: [CheckedContinuation<Void, Never>])>((0, []))

    init(parties: Int) {
        self.parties = parties
    }

    func arrive() async {
        await withCheckedContinuation { continuation in
            let ready: [CheckedContinuation<Void, Never>] = state.withLock { state in
                state.count += 1
                state.waiters.append(continuation)
                guard state.count % parties == 0 else { return [] }
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in ready { waiter.resume() }
        }
    }
}

extension Result where Failure == any Error {
    /// Captures an async throwing call's outcome.
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
