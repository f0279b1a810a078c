internal import Dispatch
internal import Synchronization

/// Runs a `PasswordHasher` off the cooperative pool and event loops, on `lanes` serial dispatch queues (so at most
/// `lanes` hashes run at once, using `lanes` × 64 MiB with the standard parameters), and refuses work beyond
/// `maximumPending` running-or-waiting calls with `overloaded` (RESOURCE_EXHAUSTED) instead of queueing without bound.
///
/// A started hash is not interrupted by task cancellation (libargon2 cannot be), but its result is then discarded.
public final class PasswordHashingPool: Sendable {
    /// The hasher the lanes run.
    public let hasher: PasswordHasher
    /// How many hashes may run or wait at once.
    public let maximumPending: Int
    private let queues: [DispatchQueue]
    /// Calls admitted and not finished, and the next lane to use.
    private let state = Mutex((pending: 0, nextLane: 0))

    /// Creates a pool of `lanes` (at least 1) serial queues.
    public init(hasher: PasswordHasher = .standard, lanes: Int = 2, maximumPending: Int = 64) {
        self.hasher = hasher
        self.maximumPending = max(1, maximumPending)
        queues = (0..<max(1, lanes)).map { DispatchQueue(label: "audotics.password-hashing.\($0)") }
    }

    /// `hasher.hash(password)` on a lane.
    public func hash(_ password: String) async throws(AuthError) -> String {
        let hasher = self.hasher
        return try await run { () throws(AuthError) in try hasher.hash(password) }
    }

    /// `hasher.verify(password, against: encoded)` on a lane.
    public func verify(_ password: String, against encoded: String) async throws(AuthError) -> Bool {
        let hasher = self.hasher
        return try await run { () throws(AuthError) in try hasher.verify(password, against: encoded) }
    }

    /// `hasher.verifyWithoutAccount(password)` on a lane: always false, after the time a verification takes.
    public func verifyWithoutAccount(_ password: String) async throws(AuthError) -> Bool {
        let hasher = self.hasher
        return try await run { () throws(AuthError) in hasher.verifyWithoutAccount(password) }
    }

    private func run<Value: Sendable>(_ work: @escaping @Sendable () throws(AuthError) -> Value) async throws(AuthError) -> Value {
        let lane: Int? = state.withLock { state in
            guard state.pending < maximumPending else { return nil }
            state.pending += 1
            defer { state.nextLane = (state.nextLane + 1) % queues.count }
            return state.nextLane
        }
        guard let lane else {
            throw AuthError(code: .overloaded, message: "too many sign-ins are being checked at once; retry shortly")
        }
        let result: Result<Value, AuthError> = await withCheckedContinuation { continuation in
            queues[lane].async {
                let result = Result { () throws(AuthError) in try work() }
                self.state.withLock { $0.pending -= 1 }
                continuation.resume(returning: result)
            }
        }
        return try result.get()
    }
}
