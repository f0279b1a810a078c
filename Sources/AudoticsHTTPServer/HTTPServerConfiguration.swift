public import AudoticsHTTP2
public import AudoticsTLS
public import NIOCore

/// How an `HTTPServer` listens and what it tolerates.
public struct HTTPServerConfiguration: Sendable {
    /// The address to bind, for example `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// The TCP port; 0 picks a free one (`HTTPServer.start()` returns it).
    public var port: Int
    /// TLS (ALPN chooses `h2` or `http/1.1`; no ALPN means HTTP/1.1); nil serves plaintext HTTP/1.1 and h2c
    /// with prior knowledge, for local use. Build the context from `tlsConfiguration(…)`. It can be reloaded
    /// while the server runs: new connections use the new certificate.
    public var tls: ReloadableTLSContext?
    /// Event-loop threads; defaults to one per core.
    public var threads: Int
    /// Event loops to run on instead of `threads` new ones (the server then leaves them running when it stops).
    /// A gateway passes the group its service channels use, so that a request and the calls it makes can stay
    /// on one thread instead of hopping between two.
    public var eventLoopGroup: (any EventLoopGroup)?
    /// Sizes, counts and timeouts; see `Limits`.
    public var limits: Limits
    /// HTTP/2 settings: concurrent streams, windows, frame size. The header list limit is
    /// `limits.maxHeaderBytes`, whatever this says.
    public var http2: HTTP2Settings

    /// What one client may ask of the server. Every limit answers with a status and, where the connection
    /// cannot go on, closes it; see docs/gateway.md.
    public struct Limits: Sendable, Hashable {
        /// The largest request body, declared (`content-length`) or received (chunked, HTTP/2 DATA): 413 with a
        /// JSON `google.rpc.Status` (RESOURCE_EXHAUSTED) above it; HTTP/1 then closes. Default 1 MiB.
        public var maxBodyBytes: Int
        /// The largest request head: request line and header fields (HTTP/1, 431 and close), or the header list
        /// as HTTP/2 counts it (SETTINGS_MAX_HEADER_LIST_SIZE; the stream is reset). Default 16 KiB.
        public var maxHeaderBytes: Int
        /// Open connections at most; a connection beyond is closed as soon as it is accepted. Default 10,000.
        public var maxConnections: Int
        /// From a request's first byte until its head is complete (and, for a new connection, the TLS handshake
        /// and protocol detection): slower clients get 408 and a close (slowloris). Default 10 s.
        public var headerReadTimeout: Duration
        /// From a request's head until its body is complete: 408 and close on HTTP/1, 408 on that stream on
        /// HTTP/2. Default 30 s.
        public var bodyReadTimeout: Duration
        /// A connection with no request in progress for this long is closed (HTTP/1) or sent GOAWAY (HTTP/2).
        /// Default 60 s.
        public var idleTimeout: Duration
        /// Requests (HTTP/2: streams) served on one connection; the last one's response says
        /// `Connection: close` (HTTP/1) or GOAWAY follows (HTTP/2). nil: no limit. Default 10,000.
        public var maxRequestsPerConnection: Int?
        /// Pipelined HTTP/1.1 requests run at once on one connection, at most. Only those with a safe method
        /// (GET, HEAD, OPTIONS, TRACE) and no body overlap: any other request waits for those before it and runs
        /// alone (RFC 9112 §9.3.2). Responses always go out in request order (those ready early wait, buffered);
        /// further requests wait unread. 1: one request at a time. Default 16 (values below 1 count as 1).
        public var maxPipelinedRequests: Int

        /// Creates limits; every default is documented on its property.
        public init(
            maxBodyBytes: Int = 1 << 20, maxHeaderBytes: Int = 16 << 10, maxConnections: Int = 10_000,
            headerReadTimeout: Duration = .seconds(10), bodyReadTimeout: Duration = .seconds(30),
            idleTimeout: Duration = .seconds(60), maxRequestsPerConnection: Int? = 10_000, maxPipelinedRequests: Int = 16
        ) {
            self.maxBodyBytes = maxBodyBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.maxConnections = maxConnections
            self.headerReadTimeout = headerReadTimeout
            self.bodyReadTimeout = bodyReadTimeout
            self.idleTimeout = idleTimeout
            self.maxRequestsPerConnection = maxRequestsPerConnection
            self.maxPipelinedRequests = maxPipelinedRequests
        }
    }

    /// Creates a configuration; `tls: nil` is plaintext, for local use only.
    public init(
        host: String = "127.0.0.1", port: Int = 0, tls: ReloadableTLSContext? = nil, threads: Int = System.coreCount,
        limits: Limits = Limits(), http2: HTTP2Settings = HTTP2Settings()
    ) {
        self.host = host
        self.port = port
        self.tls = tls
        self.threads = threads
        self.limits = limits
        self.http2 = http2
    }

    /// A TLS server configuration offering `h2` and `http/1.1` by ALPN, with ALPN optional (HTTP/1.1 without).
    public static func tlsConfiguration(certificateChainFile: String, privateKeyFile: String) -> TLSConfiguration {
        .server(
            certificateChainFile: certificateChainFile, privateKeyFile: privateKeyFile,
            applicationProtocols: ["h2", "http/1.1"], requiresApplicationProtocol: false)
    }

    /// The HTTP/2 settings actually sent: `http2` with the header limit from `limits`.
    var effectiveHTTP2: HTTP2Settings {
        var settings = http2
        settings.maxHeaderListSize = UInt32(clamping: limits.maxHeaderBytes)
        return settings
    }
}
