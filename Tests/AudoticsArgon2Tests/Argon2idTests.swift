import AudoticsArgon2
import Testing

@Suite("Argon2id hashing and verification")
struct Argon2idTests {
    struct Vector: Sendable, CustomStringConvertible {
        var password: String
        var salt: String
        var parameters: Argon2Parameters
        var encoded: String
        var description: String { parameters.description }
    }

    /// Produced by the reference `argon2` CLI (Debian package `argon2`), e.g.
    /// `echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -e`.
    static let vectors: [Vector] = [
        Vector(
            password: "password", salt: "somesalt",
            parameters: Argon2Parameters(memoryKiB: 65536, iterations: 2, parallelism: 1, saltLength: 8, hashLength: 32),
            encoded: "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
        ),
        Vector(
            password: "correct horse battery staple", salt: "saltsaltsalt",
            parameters: Argon2Parameters(memoryKiB: 4096, iterations: 3, parallelism: 4, saltLength: 12, hashLength: 32),
            encoded: "$argon2id$v=19$m=4096,t=3,p=4$c2FsdHNhbHRzYWx0$XJYaTwtfCCoAMYXAWA94eXL944hDc98ipnE12DrCpXI"
        ),
        Vector(
            password: "pässwörd", salt: "0123456789abcdef",
            parameters: Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 2, saltLength: 16, hashLength: 16),
            encoded: "$argon2id$v=19$m=64,t=1,p=2$MDEyMzQ1Njc4OWFiY2RlZg$6V2kqqGEl9DAVCXLtxrSLg"
        ),
    ]

    static let cheap = Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1)

    @Test("hashing with a fixed salt reproduces the reference CLI's output", arguments: vectors)
    func knownVectors(vector: Vector) throws {
        let encoded = try Argon2id.hash(password: vector.password, parameters: vector.parameters, salt: Array(vector.salt.utf8))
        #expect(encoded == vector.encoded)
    }

    @Test("the reference CLI's hashes verify, and wrong passwords do not", arguments: vectors)
    func verifyKnownVectors(vector: Vector) throws {
        #expect(try Argon2id.verify(password: vector.password, encoded: vector.encoded))
        #expect(try !Argon2id.verify(password: vector.password + "x", encoded: vector.encoded))
        #expect(try !Argon2id.verify(password: "", encoded: vector.encoded))
    }

    @Test("a random salt gives a different hash each time, and each verifies")
    func randomSalt() throws {
        let first = try Argon2id.hash(password: "hunter2hunter2", parameters: Self.cheap)
        let second = try Argon2id.hash(password: "hunter2hunter2", parameters: Self.cheap)
        #expect(first != second)
        #expect(first.hasPrefix("$argon2id$v=19$m=64,t=1,p=1$"))
        let parsed = try Argon2EncodedHash(parsing: first)
        #expect(parsed.parameters == Self.cheap)
        #expect(try Argon2id.verify(password: "hunter2hunter2", encoded: first))
        #expect(try Argon2id.verify(password: "hunter2hunter2", encoded: second))
        #expect(try !Argon2id.verify(password: "hunter2hunter3", encoded: first))
    }

    @Test("binary passwords with zero bytes hash and verify")
    func binaryPassword() throws {
        let password: [UInt8] = [0, 1, 2, 0, 255]
        let encoded = try Argon2id.hash(password: password, parameters: Self.cheap)
        #expect(try Argon2id.verify(password: password, encoded: encoded))
        #expect(try !Argon2id.verify(password: [0, 1, 2, 0], encoded: encoded))
    }

    @Test("malformed encoded strings are errors, not mismatches", arguments: [
        "", "plain text", "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ",
        "$argon2id$v=19$m=64,t=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=64,t=1,p=1$c29t!XNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2x$v=19$m=64,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2i$v=19$m=64,t=2,p=1$c29tZXNhbHQ$mJ2mVFjovhRArlVdCzyKw6ZYTg0ikLncyRWminHkHB4",
        "$argon2id$v=19$m=4,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ])
    func malformed(encoded: String) {
        let error = #expect(throws: Argon2Error.self) { try Argon2id.verify(password: "password", encoded: encoded) }
        #expect(error?.code == .malformedEncoding || error?.code == .invalidParameters)
        #expect(error?.description.contains("password") == false)
    }

    @Test("verification refuses hashes that ask for more memory than allowed")
    func costLimit() {
        let huge = "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
        let error = #expect(throws: Argon2Error.self) { try Argon2id.verify(password: "password", encoded: huge) }
        #expect(error?.code == .costLimitExceeded)
    }

    @Test("invalid parameters are rejected before hashing")
    func invalidParameters() {
        let bad = [
            Argon2Parameters(memoryKiB: 64, iterations: 0, parallelism: 1),
            Argon2Parameters(memoryKiB: 7, iterations: 1, parallelism: 1),
            Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 0),
            Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 16),
            Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1, saltLength: 4),
            Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 1, hashLength: 3),
        ]
        for parameters in bad {
            let error = #expect(throws: Argon2Error.self) { try Argon2id.hash(password: "password", parameters: parameters) }
            #expect(error?.code == .invalidParameters)
        }
        let shortSalt = #expect(throws: Argon2Error.self) {
            try Argon2id.hash(password: "password", parameters: Self.cheap, salt: [1, 2, 3])
        }
        #expect(shortSalt?.code == .invalidParameters)
    }
}
