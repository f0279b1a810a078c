@testable import AudoticsTLS
import Testing

@Suite("TLSEngine robustness")
struct TLSEngineRobustnessTests {
    @Test("an HTTP request sent to a TLS server fails the handshake with OpenSSL's reason")
    func plaintextHTTP() throws {
        let pki = try TestPKI()
        let server = try TLSEngine(context: TLSContext(configuration: pki.server()))
        let error = #expect(throws: TLSError.self) { try server.receive(Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)) }
        #expect(error?.code == .handshakeFailed)
        #expect(error?.openSSLErrors.isEmpty == false)
        #expect(server.failure == error)
        var plaintext: [UInt8] = []
        #expect(throws: error!) { try server.readPlaintext(into: &plaintext) }
    }

    @Test("random garbage never crashes a server: large blobs fail, small ones fail or wait for more")
    func randomGarbage() throws {
        let pki = try TestPKI()
        let context = try TLSContext(configuration: pki.server())
        var generator = SplitMix64(seed: 3)
        for round in 0..<300 {
            let count = round < 200 ? Int.random(in: 1...64, using: &generator) : 65_536
            var garbage = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if round.isMultiple(of: 3) { garbage.replaceSubrange(0..<min(3, count), with: [0x16, 0x03, 0x01].prefix(count)) }
            let server = try TLSEngine(context: context)
            var plaintext: [UInt8] = []
            do {
                try server.receive(garbage)
                #expect(try server.readPlaintext(into: &plaintext) == .needsMoreCiphertext)
                #expect(count < 65_536, "a 64 KiB blob always holds a whole (bad) record")
            } catch {
                #expect(server.failure == error)
            }
            #expect(plaintext.isEmpty)
        }
    }

    @Test("a valid ClientHello followed by garbage fails; a truncated one just waits")
    func corruptedHandshake() throws {
        let pki = try TestPKI()
        let truncated = try pki.pair()
        var hello: [UInt8] = []
        truncated.client.engine.drainCiphertext(into: &hello)
        try truncated.server.engine.receive(Array(hello.prefix(hello.count / 2)))
        #expect(!truncated.server.engine.isHandshakeComplete)
        #expect(truncated.server.engine.pendingCiphertextCount == 0)

        let corrupted = try pki.pair()
        hello.removeAll()
        corrupted.client.engine.drainCiphertext(into: &hello)
        for index in stride(from: 9, to: hello.count, by: 3) { hello[index] ^= 0x5A }
        #expect(throws: TLSError.self) { try corrupted.server.engine.receive(hello) }
        #expect(corrupted.server.engine.pendingCiphertextCount > 0, "a fatal alert waits to be sent")
    }

    @Test("tampered records after the handshake fail with protocolFailure")
    func tamperedRecord() throws {
        let pki = try TestPKI()
        var pair = try pki.pair()
        pair.pump()
        try pair.client.engine.write(plaintext: Array("integrity".utf8))
        var record: [UInt8] = []
        pair.client.engine.drainCiphertext(into: &record)
        record[record.count - 1] ^= 1
        try pair.server.engine.receive(record)
        var plaintext: [UInt8] = []
        let error = #expect(throws: TLSError.self) { try pair.server.engine.readPlaintext(into: &plaintext) }
        #expect(error?.code == .protocolFailure)
        #expect(plaintext.isEmpty)
    }
}
