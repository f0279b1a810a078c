@testable import AudoticsTLS
import Testing

@Suite("TLSEngine handshake")
struct TLSEngineHandshakeTests {
    @Test("TLS 1.3 by default: h2 agreed, the client sees the server's verified certificate")
    func tls13() throws {
        let pki = try TestPKI()
        var pair = try pki.pair()
        #expect(pair.client.engine.pendingCiphertextCount > 0, "a new client queues its ClientHello")
        #expect(!pair.client.engine.isHandshakeComplete)
        pair.pump()
        #expect(pair.isEstablished)
        for side in [pair.client.engine, pair.server.engine] {
            #expect(side.negotiatedVersion == .tls13)
            #expect(side.negotiatedALPN == "h2")
        }
        #expect(pair.client.engine.peerCertificateSubject == "CN=localhost,O=Audotics")
        #expect(pair.server.engine.peerCertificateSubject == nil)
    }

    @Test("TLS 1.2 when either side caps the version", arguments: [true, false])
    func tls12(cappedByServer: Bool) throws {
        let pki = try TestPKI()
        var pair = try pki.pair(
            client: pki.client(maximumVersion: cappedByServer ? nil : .tls12),
            server: pki.server(maximumVersion: cappedByServer ? .tls12 : nil)
        )
        pair.pump()
        #expect(pair.isEstablished)
        #expect(pair.client.engine.negotiatedVersion == .tls12)
        #expect(pair.server.engine.negotiatedVersion == .tls12)
        #expect(pair.client.engine.negotiatedALPN == "h2")
        #expect(pair.server.engine.negotiatedALPN == "h2")
    }

    @Test("a client requiring TLS 1.3 and a server capped at 1.2 fail the handshake")
    func noSharedVersion() throws {
        let pki = try TestPKI()
        var pair = try pki.pair(client: pki.client(minimumVersion: .tls13), server: pki.server(maximumVersion: .tls12))
        pair.pump()
        #expect(pair.client.error?.code == .handshakeFailed)
        #expect(pair.server.error?.code == .handshakeFailed)
        #expect(pair.client.error?.openSSLErrors.isEmpty == false)
    }

    @Test("a server requiring h2 refuses a client offering only http/1.1, or no ALPN at all", arguments: [["http/1.1"], []])
    func serverRefusesWithoutH2(offered: [String]) throws {
        let pki = try TestPKI()
        var pair = try pki.pair(client: pki.client(applicationProtocols: offered))
        pair.pump()
        #expect(pair.server.error?.code == .noApplicationProtocol)
        #expect(!pair.server.engine.isHandshakeComplete)
        // The client sees the server's fatal no_application_protocol alert.
        #expect(pair.client.error?.code == .noApplicationProtocol)
        #expect(pair.client.error?.description.contains("no application protocol") == true)
        // A failed engine keeps failing with the same error and never crashes.
        #expect(throws: pair.server.error!) { try pair.server.engine.receive([0x16, 0x03, 0x03]) }
        #expect(throws: pair.server.error!) { try pair.server.engine.write(plaintext: [1, 2, 3]) }
    }

    @Test("a client requiring h2 fails when the server selects no ALPN protocol")
    func clientRequiresH2() throws {
        let pki = try TestPKI()
        var pair = try pki.pair(server: pki.server(applicationProtocols: []))
        pair.pump()
        #expect(pair.client.error?.code == .noApplicationProtocol)
        #expect(pair.client.error?.message.contains("h2") == true)
        #expect(!pair.client.engine.isHandshakeComplete)
        #expect(pair.client.engine.negotiatedALPN == nil)
    }

    @Test("the server's certificate must match the host name (DNS or IP) and chain to a trusted root")
    func serverVerification() throws {
        let pki = try TestPKI()
        var wrongName = try pki.pair(serverHostname: "example.com")
        wrongName.pump()
        #expect(wrongName.client.error?.code == .certificateVerificationFailed)
        #expect(wrongName.client.error?.message.contains("hostname mismatch") == true)

        var address = try pki.pair(serverHostname: "127.0.0.1")
        address.pump()
        #expect(address.isEstablished)

        var wrongRoots = try pki.pair(client: pki.client(authority: "rogue-ca"))
        wrongRoots.pump()
        #expect(wrongRoots.client.error?.code == .certificateVerificationFailed)
        #expect(wrongRoots.server.error != nil, "the client's alert fails the server too")
    }

    @Test("plaintext written before the handshake completes is delivered after it")
    func earlyWrites() throws {
        let pki = try TestPKI()
        var pair = try pki.pair()
        try pair.client.engine.write(plaintext: Array("early".utf8))
        try pair.server.engine.write(plaintext: Array("bird".utf8))
        pair.pump()
        #expect(pair.server.received == Array("early".utf8))
        #expect(pair.client.received == Array("bird".utf8))
    }

    @Test("invalid set-ups: a server given a host name, a maximum version below the minimum")
    func invalidArguments() throws {
        let pki = try TestPKI()
        let server = try TLSContext(configuration: pki.server())
        #expect(throws: TLSError.self) { try TLSEngine(context: server, serverHostname: "localhost") }
        let error = #expect(throws: TLSError.self) { try TLSContext(configuration: pki.client(minimumVersion: .tls13, maximumVersion: .tls12)) }
        #expect(error?.code == .invalidArgument)
    }

    @Test("IP literals are told apart from DNS names (no SNI for addresses)")
    func ipLiterals() {
        for address in ["127.0.0.1", "::1", "fe80::1%eth0", "255.255.255.255"] { #expect(TLSEngine.isIPAddress(address)) }
        for name in ["localhost", "example.com", "1.2.3", "256.1.1.1x", "a.b.c.d"] { #expect(!TLSEngine.isIPAddress(name)) }
    }
}
