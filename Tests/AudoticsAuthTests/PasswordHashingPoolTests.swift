import AudoticsArgon2
import AudoticsAuth
import Testing

@Suite("password hashing pool")
struct PasswordHashingPoolTests {
    @Test("hashes and verifies on its lanes, many calls at once")
    func concurrentCalls() async throws {
        let pool = PasswordHashingPool(hasher: PasswordTests.cheap, lanes: 2, maximumPending: 64)
        let hash = try await pool.hash("correct horse battery")
        let results = try await withThrowingTaskGroup(of: Bool.self, returning: [Bool].self) { group in
            for index in 0..<8 {
                group.addTask { try await pool.verify(index.isMultiple(of: 2) ? "correct horse battery" : "wrong", against: hash) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 4)
        #expect(try await pool.verifyWithoutAccount("correct horse battery") == false)
        await #expect(throws: AuthError.self) { try await pool.verify("x", against: "not a hash") }
    }

    @Test("refuses calls beyond maximumPending with RESOURCE_EXHAUSTED instead of queueing them")
    func boundedQueue() async throws {
        let pool = PasswordHashingPool(hasher: .standard, lanes: 1, maximumPending: 1)
        let outcomes = await withTaskGroup(of: AuthError.Code?.self, returning: [AuthError.Code?].self) { group in
            for _ in 0..<3 {
                group.addTask {
                    do {
                        _ = try await pool.hash("correct horse battery")
                        return nil
                    } catch {
                        return (error as? AuthError)?.code ?? .cryptoFailure
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == nil }.count >= 1)
        #expect(outcomes.filter { $0 == AuthError.Code.overloaded }.count >= 1)
        #expect(AuthError(code: .overloaded, message: "m").rpcError.code == .resourceExhausted)
        // Once the running hash finished, the pool admits work again.
        _ = try await pool.verifyWithoutAccount("correct horse battery")
    }
}
