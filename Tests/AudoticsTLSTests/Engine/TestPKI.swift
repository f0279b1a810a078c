@testable import AudoticsTLS

/// A throwaway PKI made by the `openssl` CLI: a CA, a server certificate for `localhost` and `127.0.0.1`,
/// a client certificate from the same CA, and a client certificate from an unrelated ("rogue") CA.
final class TestPKI {
    let directory: String

    init() throws {
        directory = try TestSupport.makeDirectory()
        try makeAuthority("ca", subject: "/CN=Audotics Test CA")
        try issue("server", subject: "/O=Audotics/CN=localhost", by: "ca", extensions: [
            "subjectAltName=DNS:localhost,IP:127.0.0.1", "extendedKeyUsage=serverAuth",
        ])
        try issue("client", subject: "/O=Audotics/CN=audotics-client", by: "ca", extensions: ["extendedKeyUsage=clientAuth"])
        try makeAuthority("rogue-ca", subject: "/CN=Rogue CA")
        try issue("rogue-client", subject: "/CN=rogue-client", by: "rogue-ca", extensions: ["extendedKeyUsage=clientAuth"])
    }

    deinit {
        TestSupport.removeDirectory(directory)
    }

    func certificate(_ name: String) -> String { "\(directory)/\(name).pem" }
    func key(_ name: String) -> String { "\(directory)/\(name).key" }

    /// A self-signed CA certificate `<name>.pem` with key `<name>.key`.
    func makeAuthority(_ name: String, subject: String) throws {
        try TestSupport.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "\(name).key", "-out", "\(name).pem", "-days", "1", "-subj", subject,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ], in: directory)
    }

    /// A leaf certificate `<name>.pem` with key `<name>.key`, signed by the CA `authority` (overwrites files).
    func issue(_ name: String, subject: String, by authority: String, extensions: [String]) throws {
        try TestSupport.openssl([
            "req", "-x509", "-CA", "\(authority).pem", "-CAkey", "\(authority).key",
            "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "\(name).key", "-out", "\(name).pem", "-days", "1", "-subj", subject,
            "-addext", "basicConstraints=critical,CA:FALSE",
        ] + extensions.flatMap { ["-addext", $0] }, in: directory)
    }

    /// The server's configuration: h2 by default; with `clientAuthority`, client certificates from that CA are required.
    func server(
        maximumVersion: TLSVersion? = nil,
        applicationProtocols: [String] = ["h2"],
        clientAuthority: String? = nil
    ) -> TLSConfiguration {
        var configuration = TLSConfiguration.server(
            certificateChainFile: certificate("server"), privateKeyFile: key("server"),
            applicationProtocols: applicationProtocols, clientTrustRootsFile: clientAuthority.map(certificate)
        )
        configuration.maximumVersion = maximumVersion
        return configuration
    }

    /// A client trusting `authority`, offering `applicationProtocols`, presenting `identity`'s certificate if given.
    func client(
        minimumVersion: TLSVersion = .tls12,
        maximumVersion: TLSVersion? = nil,
        applicationProtocols: [String] = ["h2"],
        authority: String = "ca",
        identity: String? = nil
    ) -> TLSConfiguration {
        var configuration = TLSConfiguration.client(trustRootsFile: certificate(authority), applicationProtocols: applicationProtocols)
        configuration.minimumVersion = minimumVersion
        configuration.maximumVersion = maximumVersion
        configuration.certificateChainFile = identity.map(certificate)
        configuration.privateKeyFile = identity.map(key)
        return configuration
    }

    /// A connected pair of engines (not yet pumped) for the given configurations.
    func pair(client: TLSConfiguration? = nil, server: TLSConfiguration? = nil, serverHostname: String? = "localhost") throws -> EnginePair {
        EnginePair(
            client: try TLSEngine(context: TLSContext(configuration: client ?? self.client()), serverHostname: serverHostname),
            server: try TLSEngine(context: TLSContext(configuration: server ?? self.server()))
        )
    }
}
