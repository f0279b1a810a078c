import NIOCore

extension SocketAddress {
    /// `127.0.0.1:54321`, `[::1]:54321` or the socket path: the form `HTTPServerRequest.remoteAddress` uses.
    var httpServerDescription: String {
        switch self {
        case .v4: return "\(ipAddress ?? "?"):\(port ?? 0)"
        case .v6: return "[\(ipAddress ?? "?")]:\(port ?? 0)"
        case .unixDomainSocket: return pathname ?? "unix"
        }
    }
}
