@testable import AudoticsTLS
import Foundation
import Testing

@Suite("ReloadableTLSContext")
struct ReloadableTLSContextTests {
    @Test("after reload() new engines present the new certificate; older engines keep the old one")
    func reloadSwapsCertificate() throws {
        let pki = try TestPKI()
        let store = try ReloadableTLSContext(configuration: pki.server())
        let client = try TLSContext(configuration: pki.client())
        let before = try store.makeEngine()

        try pki.issue("server", subject: "/O=Audotics/CN=localhost/OU=rotated", by: "ca", extensions: ["subjectAltName=DNS:localhost"])
        let old = store.current
        try store.reload()
        #expect(store.current !== old)
        let after = try store.makeEngine()

        var oldPair = EnginePair(client: try TLSEngine(context: client, serverHostname: "localhost"), server: before)
        oldPair.pump()
        #expect(oldPair.isEstablished)
        #expect(oldPair.client.engine.peerCertificateSubject == "CN=localhost,O=Audotics")

        var newPair = EnginePair(client: try TLSEngine(context: client, serverHostname: "localhost"), server: after)
        newPair.pump()
        #expect(newPair.isEstablished)
        #expect(newPair.client.engine.peerCertificateSubject == "OU=rotated,CN=localhost,O=Audotics")
    }

    @Test("a reload that cannot read the files throws and keeps the current context")
    func failedReloadKeepsCurrent() throws {
        let pki = try TestPKI()
        let store = try ReloadableTLSContext(configuration: pki.server())
        let current = store.current
        try "not a certificate".write(toFile: pki.certificate("server"), atomically: true, encoding: .utf8)
        let error = #expect(throws: TLSError.self) { try store.reload() }
        #expect(error?.code == .certificateLoadFailed)
        #expect(store.current === current)
        var pair = EnginePair(client: try TLSEngine(context: TLSContext(configuration: pki.client()), serverHostname: "localhost"), server: try store.makeEngine())
        pair.pump()
        #expect(pair.isEstablished)
    }

    @Test("reloads race safely with readers")
    func concurrentReloads() async throws {
        let pki = try TestPKI()
        let store = try ReloadableTLSContext(configuration: pki.server())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    for _ in 0..<10 {
                        if index.isMultiple(of: 2) { try store.reload() } else { _ = try store.makeEngine() }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(store.current.configuration == pki.server())
    }
}
