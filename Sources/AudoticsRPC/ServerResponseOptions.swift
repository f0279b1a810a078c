import Synchronization

/// What a handler may set about its response besides the messages: metadata sent with the response
/// headers and with the trailers, and whether response messages are compressed.
///
/// Shared between the handler's task and the transport, so it is a reference guarded by a mutex.
/// Initial metadata must be set before the first response message (it travels in the headers);
/// trailing metadata may be set until the handler returns or throws.
public final class ServerResponseOptions: Sendable {
    private struct State {
        var initialMetadata: Metadata = [:]
        var trailingMetadata: Metadata = [:]
        var compressMessages: Bool?
        var requestMessageCompressed = false
    }

    private let state = Mutex(State())

    /// Creates empty options.
    public init() {}

    /// Metadata sent with the response headers.
    public var initialMetadata: Metadata {
        get { state.withLock { $0.initialMetadata } }
        set { state.withLock { $0.initialMetadata = newValue } }
    }

    /// Metadata sent with the status in the trailers (also when the handler throws).
    public var trailingMetadata: Metadata {
        get { state.withLock { $0.trailingMetadata } }
        set { state.withLock { $0.trailingMetadata = newValue } }
    }

    /// Whether the next response messages are compressed (with gzip, or the request's encoding) when
    /// the client accepts it. `nil`, the default, compresses exactly when the request was compressed.
    public var compressMessages: Bool? {
        get { state.withLock { $0.compressMessages } }
        set { state.withLock { $0.compressMessages = newValue } }
    }

    /// Whether the request message the handler read last arrived compressed (its Compressed-Flag was set).
    /// Transports set it as they hand each message over; handlers read it through `ServerContext`.
    package var requestMessageCompressed: Bool {
        get { state.withLock { $0.requestMessageCompressed } }
        set { state.withLock { $0.requestMessageCompressed = newValue } }
    }
}
