public import AudoticsArgon2

/// Hashes and verifies passwords with argon2id (RFC 9106) through libargon2, as PHC strings
/// (`$argon2id$v=19$m=65536,t=1,p=1$<salt>$<hash>`) that record their own parameters.
///
/// Default parameters (`standard`): m = 64 MiB (65,536 KiB), t = 1 pass, p = 1 lane, 16-byte salt, 32-byte hash —
/// within RFC 9106 §4 and OWASP's argon2id guidance (m ≥ 46 MiB with t = 1). Measured on the development machine
/// (2 shared x86-64 cores, libargon2 20190702 as Debian builds it): about 70 ms per hash or verification with the
/// machine otherwise idle (see `PasswordHasherTests`, which prints the figure).
///
/// Verification is constant-time in the password: libargon2 recomputes the hash and compares with
/// `argon2_compare`, which does not stop at the first difference. For unknown accounts, call
/// `verifyWithoutAccount(_:)` so that a login for a missing email costs the same as one with a wrong password.
///
/// Every call is CPU- and memory-bound for tens of milliseconds: run it off event loops and the cooperative pool, on
/// a dedicated thread pool that bounds concurrency (64 MiB each).
public struct PasswordHasher: Sendable {
    /// The parameters new hashes use.
    public var parameters: Argon2Parameters
    /// The most memory a stored hash may ask verification to use (a tampered row must not exhaust memory): 256 MiB.
    public var verificationMemoryLimitKiB: UInt32 = 256 * 1024

    /// m = 64 MiB, t = 1, p = 1, 16-byte salt, 32-byte hash.
    public static let standardParameters = Argon2Parameters(memoryKiB: 64 * 1024, iterations: 1, parallelism: 1)
    /// The platform's hasher, with `standardParameters`.
    public static let standard = PasswordHasher(parameters: standardParameters)

    /// Creates a hasher (tests may pass cheap parameters).
    public init(parameters: Argon2Parameters) {
        self.parameters = parameters
    }

    /// The PHC string of `password` (its UTF-8 bytes, as given: no Unicode normalisation) with a fresh random salt.
    public func hash(_ password: String) throws(AuthError) -> String {
        do { return try Argon2id.hash(password: password, parameters: parameters) } catch {
            throw AuthError(code: .cryptoFailure, message: "cannot hash the password", cause: error)
        }
    }

    /// Whether `password` matches the stored PHC string `encoded`. Throws `cryptoFailure` for a stored string that is
    /// not an argon2id hash or asks for more than `verificationMemoryLimitKiB`.
    public func verify(_ password: String, against encoded: String) throws(AuthError) -> Bool {
        do {
            return try Argon2id.verify(password: password, encoded: encoded, memoryLimitKiB: verificationMemoryLimitKiB)
        } catch {
            throw AuthError(code: .cryptoFailure, message: "cannot verify against the stored password hash", cause: error)
        }
    }

    /// Spends the time of one verification and returns false: for a login whose account does not exist, so that
    /// response times do not reveal which emails are registered.
    public func verifyWithoutAccount(_ password: String) -> Bool {
        _ = try? Argon2id.hash(password: password, parameters: parameters)
        return false
    }

    /// Whether `encoded` was made with other parameters than `parameters` (or is unreadable), so that a successful login
    /// should store a new hash.
    public func needsRehash(_ encoded: String) -> Bool {
        guard let parsed = try? Argon2EncodedHash(parsing: encoded) else { return true }
        return parsed.needsRehash(for: parameters)
    }
}
