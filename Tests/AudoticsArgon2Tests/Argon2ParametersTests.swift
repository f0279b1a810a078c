import AudoticsArgon2
import Testing

@Suite("Argon2Parameters")
struct Argon2ParametersTests {
    @Test("the OWASP minimum is valid and describes itself in PHC notation")
    func owasp() throws {
        try Argon2Parameters.owaspMinimum.validate()
        #expect(Argon2Parameters.owaspMinimum.description == "m=19456,t=2,p=1 (salt 16, hash 32)")
    }

    @Test("memory must cover 8 KiB per lane")
    func memoryPerLane() throws {
        try Argon2Parameters(memoryKiB: 32, iterations: 1, parallelism: 4).validate()
        let error = #expect(throws: Argon2Error.self) { try Argon2Parameters(memoryKiB: 31, iterations: 1, parallelism: 4).validate() }
        #expect(error?.code == .invalidParameters)
    }
}
