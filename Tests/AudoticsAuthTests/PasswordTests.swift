import AudoticsArgon2
import AudoticsAuth
import Foundation
import Testing

@Suite("passwords: hashing, verification and policy")
struct PasswordTests {
    /// Cheap parameters for behaviour tests; `standardCost` measures the real ones.
    static let cheap = PasswordHasher(parameters: Argon2Parameters(memoryKiB: 1024, iterations: 1, parallelism: 1))

    @Test("a hash verifies its password and no other; salts differ; the PHC string records the parameters")
    func hashAndVerify() throws {
        let hasher = Self.cheap
        let hash = try hasher.hash("correct horse battery")
        #expect(hash.hasPrefix("$argon2id$v=19$m=1024,t=1,p=1$"))
        #expect(!hash.contains("correct horse"))
        #expect(try hasher.verify("correct horse battery", against: hash))
        #expect(try !hasher.verify("correct horse batterY", against: hash))
        #expect(try !hasher.verify("", against: hash))
        #expect(try hasher.hash("correct horse battery") != hash)
        #expect(!hasher.needsRehash(hash))
        #expect(PasswordHasher.standard.needsRehash(hash))
        #expect(!hasher.verifyWithoutAccount("anything at all"))
    }

    @Test("garbage and over-expensive stored hashes are errors, not matches")
    func badStoredHashes() throws {
        #expect(throws: AuthError.self) { try Self.cheap.verify("password", against: "not a hash") }
        #expect(throws: AuthError.self) { try Self.cheap.verify("password", against: "$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNo") }
        let huge = "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
        let error = #expect(throws: AuthError.self) { try Self.cheap.verify("password", against: huge) }
        #expect(error?.description.contains("password") == false || error?.code == .cryptoFailure)
    }

    @Test("the standard parameters are 64 MiB, t=1, p=1 and cost tens of milliseconds here")
    func standardCost() throws {
        let hasher = PasswordHasher.standard
        #expect(hasher.parameters.memoryKiB == 65_536)
        #expect(hasher.parameters.iterations == 1)
        #expect(hasher.parameters.parallelism == 1)
        let hash = try hasher.hash("correct horse battery")
        let clock = ContinuousClock()
        var fastest = Duration.seconds(60)
        for _ in 0..<3 {
            var matched = false
            let elapsed = clock.measure { matched = (try? hasher.verify("correct horse battery", against: hash)) == true }
            #expect(matched)
            fastest = min(fastest, elapsed)
        }
        print("argon2id m=64MiB t=1 p=1: fastest of 3 verifications \(fastest)")
        #expect(fastest > .milliseconds(10))  // a real memory-hard hash, not a no-op
        #expect(fastest < .seconds(2))
    }

    @Test(
        "the policy refuses short, long, email-equal and local-part-containing passwords",
        arguments: [
            ("short1234", "at least 10"),
            (String(repeating: "a", count: 129), "at most 128"),
            (String(repeating: "é", count: 100) + String(repeating: "\u{301}", count: 1000), "at most 128"),
            ("Ada.Lovelace@Example.org", "must not be the email"),
            ("my-ada.lovelace-secret", "must not contain"),
            ("XXADA.LOVELACEXX", "must not contain"),
        ])
    func policyRefuses(password: String, reason: String) throws {
        let email = try EmailAddress("Ada.Lovelace@example.org")
        let error = #expect(throws: AuthError.self) { try PasswordPolicy.standard.check(password, email: email) }
        #expect(error?.code == .weakPassword)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(password) == false)
        #expect(error?.rpcError.code == .invalidArgument)
    }

    @Test("the policy accepts reasonable passwords, counting characters, not bytes")
    func policyAccepts() throws {
        let email = try EmailAddress("ada@example.org")
        for password in ["correct horse", "1234567890", "ünïcödé✓✓✓✓", String(repeating: "z", count: 128), "ad-is-short-ok"] {
            try PasswordPolicy.standard.check(password, email: email)
        }
        // A two-character local part is too short to forbid ("ad" would rule out half the dictionary).
        try PasswordPolicy.standard.check("my adventure!", email: try EmailAddress("ad@example.org"))
    }
}
