import AudoticsTLS
import Testing

@Suite("SHA-256, HMAC-SHA256, random bytes and constant-time comparison")
struct DigestTests {
    @Test("SHA-256 known answers (FIPS 180-2 examples)")
    func sha256() throws {
        #expect(try TestSupport.hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try TestSupport.hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            try TestSupport.hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
    }

    struct HMACVector: Sendable, CustomStringConvertible {
        var name: String
        var key: [UInt8]
        var data: [UInt8]
        var mac: String
        var description: String { name }
    }

    /// RFC 4231 §4.2–4.7 (test case 5, a truncated output, is omitted).
    static let hmacVectors = [
        HMACVector(name: "test case 1", key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
                   mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        HMACVector(name: "test case 2", key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
                   mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        HMACVector(name: "test case 3", key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50),
                   mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        HMACVector(name: "test case 4", key: Array(1...25), data: [UInt8](repeating: 0xcd, count: 50),
                   mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        HMACVector(name: "test case 6", key: [UInt8](repeating: 0xaa, count: 131),
                   data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                   mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        HMACVector(name: "test case 7", key: [UInt8](repeating: 0xaa, count: 131),
                   data: Array("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".utf8),
                   mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test("HMAC-SHA256 known answers (RFC 4231)", arguments: hmacVectors)
    func hmac(vector: HMACVector) throws {
        let mac = try HMACSHA256.authenticationCode(for: vector.data, key: vector.key)
        #expect(TestSupport.hex(mac) == vector.mac)
        #expect(try HMACSHA256.isValidAuthenticationCode(mac, for: vector.data, key: vector.key))
        #expect(try !HMACSHA256.isValidAuthenticationCode(mac, for: vector.data + [0], key: vector.key))
    }

    @Test("HMAC with an empty key and message matches the known value")
    func hmacEmpty() throws {
        #expect(try TestSupport.hex(HMACSHA256.authenticationCode(for: [], key: [])) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test("secure random bytes have the asked length and differ")
    func random() throws {
        #expect(try SecureRandom.bytes(count: 0) == [])
        let first = try SecureRandom.bytes(count: 32)
        let second = try SecureRandom.bytes(count: 32)
        #expect(first.count == 32)
        #expect(first != second)
        #expect(throws: TLSError.self) { try SecureRandom.bytes(count: -1) }
    }

    @Test("constant-time comparison")
    func constantTime() {
        #expect(ConstantTime.equals([], []))
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
    }
}
