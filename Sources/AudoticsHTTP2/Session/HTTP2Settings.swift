/// The HTTP/2 settings and limits of one side of a connection.
public struct HTTP2Settings: Sendable, Hashable {
    /// Streams the peer may open at once (SETTINGS_MAX_CONCURRENT_STREAMS); nghttp2 refuses more
    /// with RST_STREAM REFUSED_STREAM.
    public var maxConcurrentStreams: UInt32
    /// The initial flow-control window of each stream we receive on (SETTINGS_INITIAL_WINDOW_SIZE).
    public var initialStreamWindowSize: UInt32
    /// The flow-control window of the whole connection we receive on.
    public var connectionWindowSize: UInt32
    /// The largest frame payload we accept (SETTINGS_MAX_FRAME_SIZE, 16 KiB to 16 MiB - 1).
    public var maxFrameSize: UInt32
    /// The largest decoded header list we accept (SETTINGS_MAX_HEADER_LIST_SIZE), in RFC 7540 §6.5.2 bytes.
    public var maxHeaderListSize: UInt32

    /// Defaults tuned for RPC throughput: 100 streams, 1 MiB per stream, 16 MiB per connection,
    /// 16 KiB frames, 16 KiB of headers.
    public init(
        maxConcurrentStreams: UInt32 = 100, initialStreamWindowSize: UInt32 = 1 << 20,
        connectionWindowSize: UInt32 = 16 << 20, maxFrameSize: UInt32 = 16_384, maxHeaderListSize: UInt32 = 16_384
    ) {
        self.maxConcurrentStreams = maxConcurrentStreams
        self.initialStreamWindowSize = initialStreamWindowSize
        self.connectionWindowSize = connectionWindowSize
        self.maxFrameSize = maxFrameSize
        self.maxHeaderListSize = maxHeaderListSize
    }
}
