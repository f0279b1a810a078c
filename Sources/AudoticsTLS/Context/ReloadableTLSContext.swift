import Synchronization

/// The current `TLSContext` of a listener or client, replaceable at run time (certificate rotation).
///
/// `reload()` re-reads the configuration's files into a fresh context and swaps it in atomically. Engines
/// already made keep the context they were made from; engines made afterwards get the new one. A reload
/// that fails leaves the current context in place.
public final class ReloadableTLSContext: Sendable {
    /// The context new connections use; `Mutex` (Swift's Synchronization module) guards the swap.
    private let state: Mutex<TLSContext>

    /// Builds the first context from `configuration`.
    public init(configuration: TLSConfiguration) throws(TLSError) {
        state = Mutex(try TLSContext(configuration: configuration))
    }

    /// Wraps an already built context.
    public init(_ context: TLSContext) {
        state = Mutex(context)
    }

    /// The context to make new engines from.
    public var current: TLSContext {
        state.withLock { $0 }
    }

    /// Rebuilds the context from the current configuration, re-reading its certificate, key and trust files.
    @discardableResult
    public func reload() throws(TLSError) -> TLSContext {
        try reload(configuration: current.configuration)
    }

    /// Builds a context from `configuration` (for example new file paths) and makes it current.
    ///
    /// The files are read outside the lock; only the swap holds it.
    @discardableResult
    public func reload(configuration: TLSConfiguration) throws(TLSError) -> TLSContext {
        let fresh = try TLSContext(configuration: configuration)
        state.withLock { $0 = fresh }
        return fresh
    }

    /// Makes an engine from the current context; see `TLSEngine.init(context:serverHostname:)`.
    public func makeEngine(serverHostname: String? = nil) throws(TLSError) -> TLSEngine {
        try TLSEngine(context: current, serverHostname: serverHostname)
    }
}
