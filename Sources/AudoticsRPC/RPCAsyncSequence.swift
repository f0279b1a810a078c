/// A type-erased asynchronous stream of RPC messages: the requests a handler reads or the
/// responses a client reads.
public struct RPCAsyncSequence<Element: Sendable>: AsyncSequence, Sendable {
    private let makeNext: @Sendable () -> (() async throws -> Element?)

    /// Wraps any sendable asynchronous sequence.
    public init<Base: AsyncSequence & Sendable>(wrapping base: Base) where Base.Element == Element {
        makeNext = {
            var iterator = base.makeAsyncIterator()
            return { try await iterator.next() }
        }
    }

    /// A sequence of the given elements.
    public init(elements: [Element]) {
        makeNext = {
            var remaining = elements[...]
            return { remaining.popFirst() }
        }
    }

    /// Iterates the sequence once.
    public struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate let nextElement: () async throws -> Element?

        public mutating func next() async throws -> Element? {
            try await nextElement()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(nextElement: makeNext())
    }

    /// The elements transformed by `transform`, which may throw to end the stream with an error.
    public func map<T: Sendable>(_ transform: @escaping @Sendable (Element) throws -> T) -> RPCAsyncSequence<T> {
        let base = self
        return RPCAsyncSequence<T>(makeNext: {
            var iterator = base.makeAsyncIterator()
            return {
                guard let element = try await iterator.next() else { return nil }
                return try transform(element)
            }
        })
    }

    private init(makeNext: @escaping @Sendable () -> (() async throws -> Element?)) {
        self.makeNext = makeNext
    }
}
