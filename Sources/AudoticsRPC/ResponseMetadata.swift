import Synchronization

/// Receives the metadata a server sent with a call's response: the initial metadata (response headers) and the
/// trailing metadata (trailers).
///
/// Set one on `CallOptions.responseMetadata` to read them after (or, for `initial`, during) the call; generated
/// clients pass the options through unchanged, so this works with every typed client. The transport fills it in:
/// `initial` when the response headers arrive (empty for a Trailers-Only response), `trailing` when the status
/// arrives, whether the call succeeds or fails (a failed call's trailing metadata is also in `RPCError.metadata`).
/// Shared between the caller and the transport, so it is a reference guarded by a mutex.
public final class ResponseMetadata: Sendable {
    private struct State {
        var initial: Metadata = [:]
        var trailing: Metadata = [:]
    }

    private let state = Mutex(State())

    /// Creates an empty receiver.
    public init() {}

    /// The metadata sent with the response headers.
    public var initial: Metadata {
        get { state.withLock { $0.initial } }
        set { state.withLock { $0.initial = newValue } }
    }

    /// The metadata sent with the status in the trailers.
    public var trailing: Metadata {
        get { state.withLock { $0.trailing } }
        set { state.withLock { $0.trailing = newValue } }
    }
}
