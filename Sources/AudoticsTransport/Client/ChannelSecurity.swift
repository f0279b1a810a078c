/// How a channel protects its connections.
///
/// The seam for TLS: a `.tls(...)` case will add the OpenSSL handler in front of the HTTP/2 handler when each
/// connection is made (`ClientConnection.connect`) and send `:scheme https`.
public enum ChannelSecurity: Hashable, Sendable {
    /// HTTP/2 over cleartext TCP with prior knowledge (h2c): for local use only.
    case plaintext

    /// The `:scheme` of requests over this security.
    var scheme: String {
        switch self {
        case .plaintext: "http"
        }
    }
}
