@testable import AudoticsTLS
import Testing

@Suite("TLSEngine mutual TLS")
struct TLSEngineMutualTLSTests {
    @Test("a server requiring client certificates refuses a client without one", arguments: [TLSVersion.tls13, .tls12])
    func noClientCertificate(version: TLSVersion) throws {
        let pki = try TestPKI()
        var pair = try pki.pair(server: pki.server(maximumVersion: version, clientAuthority: "ca"))
        pair.pump()
        #expect(pair.server.error?.code == .certificateVerificationFailed)
        #expect(pair.server.error?.message.contains("no certificate") == true)
        #expect(!pair.server.engine.isHandshakeComplete)
        // In TLS 1.3 the client finishes first and learns of the refusal from the alert on its next read.
        #expect(pair.client.error != nil)
        if version == .tls13 { #expect(pair.client.error?.code == .certificateVerificationFailed) }
    }

    @Test("a client certificate signed by the configured CA is accepted and its subject is visible", arguments: [TLSVersion.tls13, .tls12])
    func acceptedClientCertificate(version: TLSVersion) throws {
        let pki = try TestPKI()
        var pair = try pki.pair(client: pki.client(identity: "client"), server: pki.server(maximumVersion: version, clientAuthority: "ca"))
        pair.pump()
        #expect(pair.isEstablished)
        #expect(pair.server.engine.peerCertificateSubject == "CN=audotics-client,O=Audotics")
        #expect(pair.client.engine.peerCertificateSubject == "CN=localhost,O=Audotics")
        try pair.client.engine.write(plaintext: Array("authenticated".utf8))
        pair.pump()
        #expect(pair.server.received == Array("authenticated".utf8))
    }

    @Test("a client certificate from another CA is refused")
    func rogueClientCertificate() throws {
        let pki = try TestPKI()
        var pair = try pki.pair(client: pki.client(identity: "rogue-client"), server: pki.server(clientAuthority: "ca"))
        pair.pump()
        #expect(pair.server.error?.code == .certificateVerificationFailed)
        #expect(pair.server.error?.message.contains("did not verify") == true)
        #expect(pair.server.engine.peerCertificateSubject == nil || !pair.server.engine.isHandshakeComplete)
        #expect(pair.client.error != nil)
    }
}
