/// The cost parameters of an argon2id hash, plus the salt and output lengths.
public struct Argon2Parameters: Sendable, Hashable, CustomStringConvertible {
    /// Memory cost in KiB (`m`); at least 8 × `parallelism`.
    public var memoryKiB: UInt32
    /// Number of passes over the memory (`t`); at least 1.
    public var iterations: UInt32
    /// Number of lanes (`p`), 1...16,777,215. libargon2 computes them with this many threads.
    public var parallelism: UInt32
    /// Length of a generated salt in bytes, 8...1024 (16 is the usual choice).
    public var saltLength: Int
    /// Length of the hash in bytes, 4...1024 (32 is the usual choice).
    public var hashLength: Int

    /// The largest salt or hash length this module accepts; libargon2's own limits are far beyond any sane use.
    public static let maximumLength = 1024

    /// OWASP's first recommended argon2id setting: 19 MiB, 2 iterations, 1 lane, 16-byte salt, 32-byte hash.
    public static let owaspMinimum = Argon2Parameters(memoryKiB: 19 * 1024, iterations: 2, parallelism: 1)

    /// Creates parameters; `validate()` (called by every hash) checks them.
    public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32, saltLength: Int = 16, hashLength: Int = 32) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
        self.saltLength = saltLength
        self.hashLength = hashLength
    }

    /// Throws `invalidParameters` unless every value is within libargon2's and this module's limits.
    public func validate() throws(Argon2Error) {
        func invalid(_ message: String) -> Argon2Error { Argon2Error(code: .invalidParameters, message: message) }
        guard iterations >= 1 else { throw invalid("iterations must be at least 1") }
        guard (1...0xFF_FFFF).contains(parallelism) else { throw invalid("parallelism must be in 1...16777215") }
        guard UInt64(memoryKiB) >= 8 * UInt64(parallelism) else {
            throw invalid("memory must be at least 8 KiB per lane (\(8 * UInt64(parallelism)) KiB for \(parallelism) lanes)")
        }
        guard (8...Self.maximumLength).contains(saltLength) else { throw invalid("salt length must be in 8...\(Self.maximumLength) bytes") }
        guard (4...Self.maximumLength).contains(hashLength) else { throw invalid("hash length must be in 4...\(Self.maximumLength) bytes") }
    }

    /// The parameters in PHC notation, e.g. `m=19456,t=2,p=1 (salt 16, hash 32)`.
    public var description: String {
        "m=\(memoryKiB),t=\(iterations),p=\(parallelism) (salt \(saltLength), hash \(hashLength))"
    }
}
