/// What a `TLSContext` is built from: role, protocol versions, ALPN, certificates and peer verification.
public struct TLSConfiguration: Sendable, Hashable {
    /// Which side of the handshake the context serves.
    public enum Role: String, Sendable, Hashable {
        /// Accepts connections; needs a certificate chain and private key.
        case server
        /// Makes connections; verifies the server against trust roots.
        case client
    }

    /// The lowest TLS version a context accepts (`.tls12` means 1.2 and 1.3, `.tls13` means 1.3 only).
    public typealias MinimumVersion = TLSVersion

    /// Which side of the handshake the context serves.
    public var role: Role
    /// The lowest TLS version accepted; never below 1.2.
    public var minimumVersion: MinimumVersion
    /// The highest TLS version accepted; nil means the newest the library supports (1.3). Mostly for tests
    /// and for pinning a peer to TLS 1.2.
    public var maximumVersion: TLSVersion?
    /// ALPN protocol names in preference order, e.g. `["h2"]`. With `requiresApplicationProtocol` (the
    /// default) a non-empty list makes ALPN mandatory: a server refuses clients that offer no ALPN or none of
    /// these names (a fatal `no_application_protocol` alert), and a `TLSEngine` client fails the handshake when
    /// the server selects none.
    public var applicationProtocols: [String]
    /// Whether a shared ALPN protocol is mandatory (gRPC: `h2` or nothing). An HTTP server that also speaks
    /// HTTP/1.1 sets it to false: clients without ALPN, or offering none of our names, connect without a
    /// negotiated protocol (`TLSEngine.negotiatedALPN` is nil) and are served HTTP/1.1.
    public var requiresApplicationProtocol: Bool
    /// PEM file with the certificate followed by its intermediates.
    public var certificateChainFile: String?
    /// PEM file with the unencrypted private key for the certificate.
    public var privateKeyFile: String?
    /// PEM file of CA certificates to verify the peer against; nil uses the system's roots (clients).
    public var trustRootsFile: String?
    /// Whether the peer must present a certificate that verifies: servers doing mTLS, and clients (default).
    public var verifiesPeer: Bool

    /// Creates a configuration; prefer `server(…)` and `client(…)`.
    public init(
        role: Role,
        minimumVersion: MinimumVersion = .tls12,
        maximumVersion: TLSVersion? = nil,
        applicationProtocols: [String] = ["h2"],
        requiresApplicationProtocol: Bool = true,
        certificateChainFile: String? = nil,
        privateKeyFile: String? = nil,
        trustRootsFile: String? = nil,
        verifiesPeer: Bool
    ) {
        self.role = role
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.applicationProtocols = applicationProtocols
        self.requiresApplicationProtocol = requiresApplicationProtocol
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
        self.trustRootsFile = trustRootsFile
        self.verifiesPeer = verifiesPeer
    }

    /// A server presenting `certificateChainFile` and `privateKeyFile`, offering `applicationProtocols`
    /// (mandatory unless `requiresApplicationProtocol` is false); with `clientTrustRootsFile` it requires client
    /// certificates signed by those roots (mTLS).
    public static func server(
        certificateChainFile: String,
        privateKeyFile: String,
        applicationProtocols: [String] = ["h2"],
        requiresApplicationProtocol: Bool = true,
        clientTrustRootsFile: String? = nil
    ) -> TLSConfiguration {
        TLSConfiguration(
            role: .server, applicationProtocols: applicationProtocols, requiresApplicationProtocol: requiresApplicationProtocol,
            certificateChainFile: certificateChainFile, privateKeyFile: privateKeyFile,
            trustRootsFile: clientTrustRootsFile, verifiesPeer: clientTrustRootsFile != nil
        )
    }

    /// A client that verifies servers against `trustRootsFile` (or the system roots), offering `applicationProtocols`.
    public static func client(trustRootsFile: String? = nil, applicationProtocols: [String] = ["h2"]) -> TLSConfiguration {
        TLSConfiguration(role: .client, applicationProtocols: applicationProtocols, trustRootsFile: trustRootsFile, verifiesPeer: true)
    }
}
