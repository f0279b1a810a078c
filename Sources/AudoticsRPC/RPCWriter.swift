/// Sends messages on an RPC stream: responses from a handler or requests from a client.
///
/// Each write may choose whether its message is compressed: `write(_:)` follows the call's setting (on a client,
/// `CallOptions.compression`; on a server, `ServerContext.response.compressMessages`), while `write(_:compress:)`
/// decides for that one message, as `doc/compression.md` allows. Compression only happens when the call has an
/// algorithm (the client chose one, or the server found one the client accepts).
public struct RPCWriter<Element: Sendable>: Sendable {
    private let writeElement: @Sendable (Element, Bool?) async throws -> Void

    /// Creates a writer that hands each element to `write` (per-message compression choices are ignored).
    public init(_ write: @escaping @Sendable (Element) async throws -> Void) {
        writeElement = { element, _ in try await write(element) }
    }

    /// Creates a writer that hands each element to `write` with its compression choice: `true` or `false` when
    /// the writer asked for one, `nil` to follow the call's setting.
    public init(compressing write: @escaping @Sendable (Element, _ compress: Bool?) async throws -> Void) {
        writeElement = write
    }

    /// Sends one message; suspends while the peer applies back-pressure.
    public func write(_ element: Element) async throws {
        try await writeElement(element, nil)
    }

    /// Sends one message, compressed or not regardless of the call's setting (`true` has no effect on a call
    /// without a compression algorithm).
    public func write(_ element: Element, compress: Bool) async throws {
        try await writeElement(element, compress)
    }

    /// Sends messages in order.
    public func write(contentsOf elements: some Sequence<Element>) async throws {
        for element in elements { try await writeElement(element, nil) }
    }

    /// A writer of `T` that converts each message before writing it here, keeping its compression choice.
    public func map<T: Sendable>(_ transform: @escaping @Sendable (T) throws -> Element) -> RPCWriter<T> {
        let base = self
        return RPCWriter<T>(compressing: { element, compress in try await base.writeElement(transform(element), compress) })
    }
}
