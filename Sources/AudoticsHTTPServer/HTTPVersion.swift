/// The HTTP version a request arrived with.
public enum HTTPVersion: String, Sendable, Hashable, CustomStringConvertible {
    /// HTTP/1.0: one request per connection unless the client asks for `Connection: keep-alive`.
    case http1_0 = "HTTP/1.0"
    /// HTTP/1.1: persistent connections, chunked bodies, pipelining.
    case http1_1 = "HTTP/1.1"
    /// HTTP/2 (over TLS with ALPN `h2`, or h2c with prior knowledge).
    case http2 = "HTTP/2"

    /// `HTTP/1.1`, `HTTP/1.0` or `HTTP/2`.
    public var description: String { rawValue }
}
