import AudoticsArgon2
import Testing

@Suite("Argon2EncodedHash")
struct Argon2EncodedHashTests {
    @Test("parses the variant, version, costs and lengths")
    func parses() throws {
        let parsed = try Argon2EncodedHash(
            parsing: "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
        )
        #expect(parsed.variant == "argon2id")
        #expect(parsed.version == 19)
        #expect(parsed.parameters == Argon2Parameters(memoryKiB: 65536, iterations: 2, parallelism: 1, saltLength: 8, hashLength: 32))
    }

    @Test("says when a hash needs upgrading to new parameters")
    func needsRehash() throws {
        let parsed = try Argon2EncodedHash(parsing: "$argon2id$v=19$m=64,t=1,p=2$MDEyMzQ1Njc4OWFiY2RlZg$6V2kqqGEl9DAVCXLtxrSLg")
        #expect(!parsed.needsRehash(for: Argon2Parameters(memoryKiB: 64, iterations: 1, parallelism: 2, saltLength: 16, hashLength: 16)))
        #expect(parsed.needsRehash(for: .owaspMinimum))
        let argon2i = try Argon2EncodedHash(parsing: "$argon2i$v=19$m=64,t=2,p=1$c29tZXNhbHQ$mJ2mVFjovhRArlVdCzyKw6ZYTg0ikLncyRWminHkHB4")
        #expect(argon2i.needsRehash(for: argon2i.parameters))
    }

    @Test("rejects strings that are not PHC argon2 hashes", arguments: [
        "", "$argon2id", "$argon2id$v=19$m=64,t=1,p=1$$", "$scrypt$v=19$m=64,t=1,p=1$c29tZXNhbHQ$c29tZXNhbHQ",
        "$argon2id$v=x$m=64,t=1,p=1$c29tZXNhbHQ$c29tZXNhbHQ", "$argon2id$v=19$t=1,m=64,p=1$c29tZXNhbHQ$c29tZXNhbHQ",
        "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ=$c29tZXNhbHQ",
    ])
    func rejects(encoded: String) {
        let error = #expect(throws: Argon2Error.self) { try Argon2EncodedHash(parsing: encoded) }
        #expect(error?.code == .malformedEncoding)
    }
}
