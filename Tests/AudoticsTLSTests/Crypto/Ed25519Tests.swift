import AudoticsTLS
import Testing

@Suite("Ed25519 keys, signatures and PEM")
struct Ed25519Tests {
    struct Vector: Sendable, CustomStringConvertible {
        var name: String
        var secret: String
        var publicKey: String
        var message: String
        var signature: String
        var description: String { name }
    }

    /// RFC 8032 §7.1, tests 1–3.
    static let vectors = [
        Vector(
            name: "TEST 1 (empty message)",
            secret: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            message: "",
            signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        Vector(
            name: "TEST 2 (one byte)",
            secret: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            message: "72",
            signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
        Vector(
            name: "TEST 3 (two bytes)",
            secret: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            message: "af82",
            signature: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        ),
    ]

    @Test("signs RFC 8032 vectors exactly", arguments: vectors)
    func sign(vector: Vector) throws {
        let key = try Ed25519PrivateKey(rawRepresentation: TestSupport.bytes(vector.secret))
        #expect(try key.publicKey().rawRepresentation == TestSupport.bytes(vector.publicKey))
        #expect(try TestSupport.hex(key.signature(for: TestSupport.bytes(vector.message))) == vector.signature)
        #expect(try key.rawRepresentation() == TestSupport.bytes(vector.secret))
    }

    @Test("verifies RFC 8032 vectors and rejects any change", arguments: vectors)
    func verify(vector: Vector) throws {
        let publicKey = try Ed25519PublicKey(rawRepresentation: TestSupport.bytes(vector.publicKey))
        let message = TestSupport.bytes(vector.message)
        let signature = TestSupport.bytes(vector.signature)
        #expect(publicKey.isValidSignature(signature, for: message))
        var badSignature = signature
        badSignature[10] ^= 1
        #expect(!publicKey.isValidSignature(badSignature, for: message))
        #expect(!publicKey.isValidSignature(signature, for: message + [0]))
        #expect(!publicKey.isValidSignature(Array(signature.prefix(63)), for: message))
        #expect(!publicKey.isValidSignature([], for: message))
    }

    @Test("a generated key signs, and only its own public key verifies")
    func generated() throws {
        let key = try Ed25519PrivateKey()
        let other = try Ed25519PrivateKey()
        let message = Array("header.payload".utf8)
        let signature = try key.signature(for: message)
        #expect(try key.publicKey().isValidSignature(signature, for: message))
        #expect(try !other.publicKey().isValidSignature(signature, for: message))
        #expect(try key.publicKey() != other.publicKey())
        #expect("\(key)" == "Ed25519PrivateKey(<redacted>)")
    }

    @Test("private and public keys round trip through PEM")
    func pemRoundTrip() throws {
        let key = try Ed25519PrivateKey()
        let pem = try key.pemRepresentation()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let loaded = try Ed25519PrivateKey(pemRepresentation: pem)
        #expect(try loaded.rawRepresentation() == key.rawRepresentation())
        let publicPEM = try key.publicKey().pemRepresentation()
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(try Ed25519PublicKey(pemRepresentation: publicPEM) == key.publicKey())
    }

    @Test("keys made by the openssl CLI load, and the public halves agree")
    func opensslInterop() throws {
        let directory = try TestSupport.makeDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.openssl(["genpkey", "-algorithm", "ed25519", "-out", "key.pem"], in: directory)
        let publicPEM = try TestSupport.openssl(["pkey", "-in", "key.pem", "-pubout"], in: directory)
        let key = try Ed25519PrivateKey(pemRepresentation: TestSupport.read(directory + "/key.pem"))
        #expect(try key.publicKey() == Ed25519PublicKey(pemRepresentation: publicPEM))
        #expect(try key.publicKey().pemRepresentation() == publicPEM)
    }

    @Test("wrong key types, encrypted keys and garbage are invalid keys")
    func invalidKeys() throws {
        let directory = try TestSupport.makeDirectory()
        defer { TestSupport.removeDirectory(directory) }
        try TestSupport.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.pem"], in: directory)
        try TestSupport.openssl(["genpkey", "-algorithm", "ed25519", "-aes256", "-pass", "pass:secret", "-out", "enc.pem"], in: directory)
        for pem in [try TestSupport.read(directory + "/ec.pem"), try TestSupport.read(directory + "/enc.pem"), "garbage", ""] {
            let error = #expect(throws: TLSError.self) { try Ed25519PrivateKey(pemRepresentation: pem) }
            #expect(error?.code == .invalidKey)
        }
        let short = #expect(throws: TLSError.self) { try Ed25519PublicKey(rawRepresentation: [1, 2, 3]) }
        #expect(short?.code == .invalidKey)
        let shortSeed = #expect(throws: TLSError.self) { try Ed25519PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 31)) }
        #expect(shortSeed?.code == .invalidKey)
    }
}
