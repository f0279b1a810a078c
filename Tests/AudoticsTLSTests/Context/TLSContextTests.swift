@testable import AudoticsTLS
import Testing

@Suite("TLSContext")
struct TLSContextTests {
    /// A directory holding a self-signed P-256 certificate for localhost, its key, an unrelated key and an encrypted key.
    final class Files {
        let directory: String
        var certificate: String { directory + "/cert.pem" }
        var key: String { directory + "/key.pem" }
        var otherKey: String { directory + "/other.pem" }
        var encryptedKey: String { directory + "/encrypted.pem" }

        init() throws {
            directory = try TestSupport.makeDirectory()
            try TestSupport.openssl([
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem",
                "-out", "cert.pem", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            ], in: directory)
            try TestSupport.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other.pem"], in: directory)
            try TestSupport.openssl(["pkey", "-in", "key.pem", "-aes256", "-passout", "pass:secret", "-out", "encrypted.pem"], in: directory)
        }

        deinit {
            TestSupport.removeDirectory(directory)
        }
    }

    @Test("a server context loads a self-signed certificate and key")
    func server() throws {
        let files = try Files()
        let context = try TLSContext(configuration: .server(certificateChainFile: files.certificate, privateKeyFile: files.key))
        #expect(context.configuration.applicationProtocols == ["h2"])
        #expect(context.configuration.minimumVersion == .tls12)
        let mtls = try TLSContext(configuration: .server(
            certificateChainFile: files.certificate, privateKeyFile: files.key, clientTrustRootsFile: files.certificate
        ))
        #expect(mtls.configuration.verifiesPeer)
    }

    @Test("a client context trusts a given root file, or the system roots")
    func client() throws {
        let files = try Files()
        _ = try TLSContext(configuration: .client(trustRootsFile: files.certificate))
        _ = try TLSContext(configuration: .client())
        var tls13 = TLSConfiguration.client(trustRootsFile: files.certificate, applicationProtocols: ["h2", "http/1.1"])
        tls13.minimumVersion = .tls13
        _ = try TLSContext(configuration: tls13)
    }

    @Test("a missing certificate file fails with OpenSSL's reasons attached")
    func missingCertificate() throws {
        let files = try Files()
        let error = #expect(throws: TLSError.self) {
            try TLSContext(configuration: .server(certificateChainFile: files.directory + "/missing.pem", privateKeyFile: files.key))
        }
        #expect(error?.code == .certificateLoadFailed)
        #expect(error?.openSSLErrors.isEmpty == false)
        #expect(error?.description.contains("missing.pem") == true)
    }

    @Test("missing, mismatched and encrypted keys fail to load")
    func badKeys() throws {
        let files = try Files()
        for key in [files.directory + "/missing.pem", files.otherKey, files.encryptedKey, files.certificate] {
            let error = #expect(throws: TLSError.self) {
                try TLSContext(configuration: .server(certificateChainFile: files.certificate, privateKeyFile: key))
            }
            #expect(error?.code == .privateKeyLoadFailed)
        }
    }

    @Test("a missing trust-root file fails")
    func missingTrustRoots() throws {
        let files = try Files()
        let error = #expect(throws: TLSError.self) { try TLSContext(configuration: .client(trustRootsFile: files.directory + "/none.pem")) }
        #expect(error?.code == .trustRootsLoadFailed)
    }

    @Test("a server without a certificate, and invalid ALPN names, are invalid arguments")
    func invalidConfigurations() throws {
        let noIdentity = #expect(throws: TLSError.self) {
            try TLSContext(configuration: TLSConfiguration(role: .server, verifiesPeer: false))
        }
        #expect(noIdentity?.code == .invalidArgument)
        for names in [[""], [String(repeating: "x", count: 256)]] {
            let error = #expect(throws: TLSError.self) { try TLSContext(configuration: .client(applicationProtocols: names)) }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test("ALPN: wire format, and the server picks its own first preference the client offered")
    func alpnSelection() throws {
        let files = try Files()
        #expect(try TLSContext.alpnWireFormat(["h2", "http/1.1"]) == [2] + Array("h2".utf8) + [8] + Array("http/1.1".utf8))
        let context = try TLSContext(configuration: .server(
            certificateChainFile: files.certificate, privateKeyFile: files.key, applicationProtocols: ["h2", "http/1.1"]
        ))
        func select(_ offered: [String]) throws -> String? {
            let wire = try TLSContext.alpnWireFormat(offered)
            let range = wire.withUnsafeBufferPointer { context.selectProtocol(offered: $0) }
            return range.map { String(decoding: Array(try! TLSContext.alpnWireFormat(["h2", "http/1.1"]))[$0], as: UTF8.self) }
        }
        #expect(try select(["http/1.1", "h2"]) == "h2")
        #expect(try select(["http/1.1"]) == "http/1.1")
        #expect(try select(["spdy/3", "h2c"]) == nil)
        #expect([UInt8]([5, 0x68]).withUnsafeBufferPointer { context.selectProtocol(offered: $0) } == nil)  // truncated list
    }
}
