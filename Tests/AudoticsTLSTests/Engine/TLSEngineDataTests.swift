@testable import AudoticsTLS
import Testing

@Suite("TLSEngine application data")
struct TLSEngineDataTests {
    @Test("messages flow both ways")
    func bothWays() throws {
        let pki = try TestPKI()
        var pair = try pki.pair()
        pair.pump()
        try pair.client.engine.write(plaintext: Array("ping".utf8))
        try pair.server.engine.write(plaintext: Array("pong".utf8))
        pair.pump()
        #expect(pair.server.received == Array("ping".utf8))
        #expect(pair.client.received == Array("pong".utf8))
    }

    /// How a megabyte test splits its payloads: each side's plaintext write size, the ciphertext delivery
    /// size, and the TLS version.
    struct Split: Sendable, CustomTestStringConvertible {
        var clientWrites: Int
        var serverWrites: Int
        var deliveries: Int
        var version: TLSVersion
        var testDescription: String {
            "writes of \(clientWrites) up and \(serverWrites) down, deliveries of \(deliveries), \(version)"
        }
    }

    @Test("1 MiB each way (128 KiB when bytes move a few at a time), in odd chunk sizes", arguments: [
        Split(clientWrites: 1, serverWrites: 16_384, deliveries: 16_384, version: .tls13),
        Split(clientWrites: 7, serverWrites: 7, deliveries: 7, version: .tls13),
        Split(clientWrites: 16_384, serverWrites: 7, deliveries: 1, version: .tls13),
        Split(clientWrites: 7, serverWrites: 16_384, deliveries: 16_384, version: .tls12),
        Split(clientWrites: 16_384, serverWrites: 16_384, deliveries: 1, version: .tls12),
    ])
    func megabyte(split: Split) throws {
        let pki = try TestPKI()
        var pair = try pki.pair(server: pki.server(maximumVersion: split.version))
        pair.pump()
        #expect(pair.isEstablished)
        #expect(pair.client.engine.negotiatedVersion == split.version)
        var generator = SplitMix64(seed: UInt64(split.clientWrites))
        // A record per byte costs OpenSSL microseconds each: keep the tiny-chunk cases to 128 KiB so the
        // suite stays fast (and does not starve concurrently running tests of the cooperative pool).
        let tiny = min(split.clientWrites, split.serverWrites, split.deliveries) < 100
        let size = tiny ? 128 * 1024 : 1 << 20
        let upload = (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let download = upload.reversed() as [UInt8]
        var sent = (up: 0, down: 0)
        while sent.up < upload.count || sent.down < download.count {
            // Up to 64 KiB each way, then pump, so neither side holds the whole megabyte as ciphertext.
            let limit = (up: min(upload.count, sent.up + 65_536), down: min(download.count, sent.down + 65_536))
            try Self.write(upload[sent.up..<limit.up], in: split.clientWrites, to: pair.client.engine)
            try Self.write(download[sent.down..<limit.down], in: split.serverWrites, to: pair.server.engine)
            sent = limit
            pair.pump(chunkSize: split.deliveries)
        }
        #expect(pair.client.error == nil && pair.server.error == nil)
        #expect(pair.server.received.count == upload.count)
        #expect(pair.server.received == upload)
        #expect(pair.client.received == download)
    }

    /// Writes `bytes` to `engine` in writes of `size` bytes.
    private static func write(_ bytes: ArraySlice<UInt8>, in size: Int, to engine: TLSEngine) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let end = min(buffer.count, offset + size)
                try engine.write(plaintext: UnsafeRawBufferPointer(rebasing: buffer[offset..<end]))
                offset = end
            }
        }
    }

    @Test("close_notify ends each direction on its own (half-close), after the data written before it")
    func closeNotify() throws {
        let pki = try TestPKI()
        var pair = try pki.pair()
        pair.pump()
        try pair.client.engine.write(plaintext: Array("last words".utf8))
        try pair.client.engine.shutdown()
        pair.pump()
        #expect(pair.server.received == Array("last words".utf8))
        #expect(pair.server.endOfStream)
        #expect(!pair.client.endOfStream)
        let error = #expect(throws: TLSError.self) { try pair.client.engine.write(plaintext: [1]) }
        #expect(error?.code == .closed)

        try pair.server.engine.write(plaintext: Array("goodbye".utf8))
        try pair.server.engine.shutdown()
        pair.pump()
        #expect(pair.client.received == Array("goodbye".utf8))
        #expect(pair.client.endOfStream)
        #expect(try pair.server.engine.readPlaintext(into: &pair.server.received) == .endOfStream, "end of stream is sticky")
        #expect(pair.client.error == nil && pair.server.error == nil)
    }

    @Test("shutdown during the handshake sends close_notify once it completes, after earlier writes")
    func shutdownDuringHandshake() throws {
        let pki = try TestPKI()
        var pair = try pki.pair()
        try pair.client.engine.write(plaintext: Array("hello".utf8))
        try pair.client.engine.shutdown()
        pair.pump()
        #expect(pair.server.received == Array("hello".utf8))
        #expect(pair.server.endOfStream)
    }

    @Test("the raw-buffer API reads at most the buffer and drains ciphertext exactly")
    func rawBuffers() throws {
        let pki = try TestPKI()
        var pair = try pki.pair()
        pair.pump()
        try pair.client.engine.write(plaintext: Array(repeating: 0xAB, count: 100))
        var ciphertext = [UInt8](repeating: 0, count: pair.client.engine.pendingCiphertextCount)
        let moved = ciphertext.withUnsafeMutableBytes { pair.client.engine.drainCiphertext(into: $0) }
        #expect(moved == ciphertext.count)
        #expect(pair.client.engine.pendingCiphertextCount == 0)
        try pair.server.engine.receive(ciphertext)
        var plaintext = [UInt8](repeating: 0, count: 60)
        let first = try plaintext.withUnsafeMutableBytes { try pair.server.engine.readPlaintext(into: $0) }
        #expect(first == .bytes(60))
        let second = try plaintext.withUnsafeMutableBytes { try pair.server.engine.readPlaintext(into: $0) }
        #expect(second == .bytes(40))
        let third = try plaintext.withUnsafeMutableBytes { try pair.server.engine.readPlaintext(into: $0) }
        #expect(third == .needsMoreCiphertext)
    }
}

/// A small deterministic generator (SplitMix64) so payloads and garbage are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
