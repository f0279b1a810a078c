/// Per-call settings of a client RPC.
public struct CallOptions: Sendable {
    /// How long the call may take; sent as `grpc-timeout`. `nil` for no deadline.
    public var timeout: Duration?
    /// Request metadata sent as headers.
    public var metadata: Metadata
    /// Whether to wait for a ready connection instead of failing fast with UNAVAILABLE.
    public var waitForReady: Bool
    /// The largest response message accepted, in bytes (default 4 MiB).
    public var maxResponseMessageBytes: Int
    /// Where the transport records the response's initial and trailing metadata; `nil` (the default) discards them.
    public var responseMetadata: ResponseMetadata?
    /// How request messages are compressed (`grpc-encoding`); `identity`, the default, sends them as they are.
    /// A writer may still send single messages uncompressed with `RPCWriter.write(_:compress:)`. Servers that do
    /// not support the algorithm answer UNIMPLEMENTED.
    public var compression: GRPCMessageCompression

    /// Creates options.
    public init(
        timeout: Duration? = nil, metadata: Metadata = [:], waitForReady: Bool = false,
        maxResponseMessageBytes: Int = 4 * 1024 * 1024, responseMetadata: ResponseMetadata? = nil,
        compression: GRPCMessageCompression = .identity
    ) {
        self.timeout = timeout
        self.metadata = metadata
        self.waitForReady = waitForReady
        self.maxResponseMessageBytes = maxResponseMessageBytes
        self.responseMetadata = responseMetadata
        self.compression = compression
    }
}
