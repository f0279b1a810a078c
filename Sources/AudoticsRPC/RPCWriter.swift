/// Sends messages on an RPC stream: responses from a handler or requests from a client.
public struct RPCWriter<Element: Sendable>: Sendable {
    private let writeElement: @Sendable (Element) async throws -> Void

    /// Creates a writer that hands each element to `write`.
    public init(_ write: @escaping @Sendable (Element) async throws -> Void) {
        writeElement = write
    }

    /// Sends one message; suspends while the peer applies back-pressure.
    public func write(_ element: Element) async throws {
        try await writeElement(element)
    }

    /// Sends messages in order.
    public func write(contentsOf elements: some Sequence<Element>) async throws {
        for element in elements { try await writeElement(element) }
    }

    /// A writer of `T` that converts each message before writing it here.
    public func map<T: Sendable>(_ transform: @escaping @Sendable (T) throws -> Element) -> RPCWriter<T> {
        let base = self
        return RPCWriter<T> { try await base.write(transform($0)) }
    }
}
