public import AudoticsTLS

/// How a channel protects its connections.
public enum ChannelSecurity: Sendable {
    /// HTTP/2 over cleartext TCP with prior knowledge (h2c): for local use only.
    case plaintext
    /// TLS 1.2+ with ALPN `h2` (OpenSSL), verifying the server as `context`'s configuration says;
    /// `serverHostname` is sent as SNI and checked against the certificate (default: the endpoint's host).
    case tls(context: ReloadableTLSContext, serverHostname: String? = nil)

    /// The `:scheme` of requests over this security.
    var scheme: String {
        switch self {
        case .plaintext: "http"
        case .tls: "https"
        }
    }
}
