/// What a `TLSContext` is built from: role, protocol versions, ALPN, certificates and peer verification.
public struct TLSConfiguration: Sendable, Hashable {
    /// Which side of the handshake the context serves.
    public enum Role: String, Sendable, Hashable {
        /// Accepts connections; needs a certificate chain and private key.
        case server
        /// Makes connections; verifies the server against trust roots.
        case client
    }

    /// The lowest TLS version a context accepts.
    public enum MinimumVersion: String, Sendable, Hashable {
        /// TLS 1.2 and 1.3.
        case tls12
        /// TLS 1.3 only.
        case tls13
    }

    /// Which side of the handshake the context serves.
    public var role: Role
    /// The lowest TLS version accepted; never below 1.2.
    public var minimumVersion: MinimumVersion
    /// ALPN protocol names in preference order, e.g. `["h2"]`. A server with a non-empty list refuses
    /// clients that offer ALPN without any of these (a fatal `no_application_protocol` alert).
    public var applicationProtocols: [String]
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
        applicationProtocols: [String] = ["h2"],
        certificateChainFile: String? = nil,
        privateKeyFile: String? = nil,
        trustRootsFile: String? = nil,
        verifiesPeer: Bool
    ) {
        self.role = role
        self.minimumVersion = minimumVersion
        self.applicationProtocols = applicationProtocols
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
        self.trustRootsFile = trustRootsFile
        self.verifiesPeer = verifiesPeer
    }

    /// A server presenting `certificateChainFile` and `privateKeyFile`, offering `applicationProtocols`;
    /// with `clientTrustRootsFile` it requires client certificates signed by those roots (mTLS).
    public static func server(
        certificateChainFile: String,
        privateKeyFile: String,
        applicationProtocols: [String] = ["h2"],
        clientTrustRootsFile: String? = nil
    ) -> TLSConfiguration {
        TLSConfiguration(
            role: .server, applicationProtocols: applicationProtocols,
            certificateChainFile: certificateChainFile, privateKeyFile: privateKeyFile,
            trustRootsFile: clientTrustRootsFile, verifiesPeer: clientTrustRootsFile != nil
        )
    }

    /// A client that verifies servers against `trustRootsFile` (or the system roots), offering `applicationProtocols`.
    public static func client(trustRootsFile: String? = nil, applicationProtocols: [String] = ["h2"]) -> TLSConfiguration {
        TLSConfiguration(role: .client, applicationProtocols: applicationProtocols, trustRootsFile: trustRootsFile, verifiesPeer: true)
    }
}
