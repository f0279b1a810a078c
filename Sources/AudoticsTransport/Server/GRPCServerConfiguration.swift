public import AudoticsHTTP2
public import NIOCore

/// How a gRPC server listens and what it accepts.
public struct GRPCServerConfiguration: Sendable {
    /// The address to bind, for example `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// The TCP port; 0 picks a free one (read it from `RunningGRPCServer.port`).
    public var port: Int
    /// HTTP/2 settings: concurrent streams, windows, frame and header list sizes.
    public var http2: HTTP2Settings
    /// The largest request message accepted, after decompression (RESOURCE_EXHAUSTED above it). Default 4 MiB.
    public var maxReceiveMessageBytes: Int
    /// Event-loop threads; defaults to one per core.
    public var threads: Int

    /// Creates a configuration. Plaintext HTTP/2 (h2c, prior knowledge): for local use only.
    public init(
        host: String = "127.0.0.1", port: Int, http2: HTTP2Settings = HTTP2Settings(),
        maxReceiveMessageBytes: Int = 4 * 1024 * 1024, threads: Int = System.coreCount
    ) {
        self.host = host
        self.port = port
        self.http2 = http2
        self.maxReceiveMessageBytes = maxReceiveMessageBytes
        self.threads = threads
    }
}
