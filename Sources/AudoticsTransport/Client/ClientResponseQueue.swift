import AudoticsRPC
import Synchronization

/// The response messages of one call, from the connection's event loop to the task reading them.
///
/// Messages queue here until read; the connection holds back HTTP/2 window updates while too many bytes wait
/// unread (`onRead` reports each read message's wire size), so a reader that stops reading stops the server.
/// The end of the stream is the call's status: a clean end for OK, the `RPCError` otherwise.
final class ClientResponseQueue: ClientResponseSink, Sendable {
    private struct State {
        var messages: [(bytes: [UInt8], wireSize: Int)] = []
        var head = 0
        var end: RPCError?? = nil
        var reader: UnsafeContinuation<[UInt8]?, any Error>?
    }

    private let state = Mutex(State())
    /// Called with a message's wire size after the reader took it.
    private let onRead: @Sendable (Int) -> Void

    init(onRead: @escaping @Sendable (Int) -> Void) {
        self.onRead = onRead
    }

    /// Messages wait here for their reader: their bytes count as unread until read.
    var queuesMessages: Bool { true }

    /// Adds a message (event loop). Ignored after the end.
    func push(_ bytes: [UInt8], wireSize: Int) -> RPCError? {
        let reader: UnsafeContinuation<[UInt8]?, any Error>? = state.withLock { state in
            guard state.end == nil else { return nil }
            if let reader = state.reader {
                state.reader = nil
                return reader
            }
            state.messages.append((bytes, wireSize))
            return nil
        }
        if let reader {
            reader.resume(returning: bytes)
            onRead(wireSize)
        }
        return nil
    }

    /// Ends the stream with the call's outcome: `nil` for OK. Only the first end counts; returns whether this was it.
    @discardableResult
    func finish(_ error: RPCError?) -> Bool {
        let (first, reader): (Bool, UnsafeContinuation<[UInt8]?, any Error>?) = state.withLock { state in
            guard state.end == nil else { return (false, nil) }
            state.end = .some(error)
            // A failed call drops what was not read: the error is what the reader must see.
            if error != nil {
                state.messages.removeAll()
                state.head = 0
            }
            defer { state.reader = nil }
            return (true, state.reader)
        }
        if let reader {
            if let error { reader.resume(throwing: error) } else { reader.resume(returning: nil) }
        }
        return first
    }

    /// Whether the stream has ended.
    var isFinished: Bool { state.withLock { $0.end != nil } }

    /// The next message; `nil` after the last one of a successful call; throws the call's error.
    func next() async throws -> [UInt8]? {
        if let immediate = state.withLock({ Self.take(&$0) }) {
            return try deliver(immediate)
        }
        // Wait; `push` or `finish` resumes (the call's cancellation handler finishes the queue).
        // Unsafe (no checking box allocated per wait): the reader is stored and taken under the lock, so exactly
        // one of `push`, `finish` or this closure resumes it, once.
        return try await withUnsafeThrowingContinuation { continuation in
            let immediate: Taken? = state.withLock { state in
                if let taken = Self.take(&state) { return taken }
                state.reader = continuation
                return nil
            }
            guard let immediate else { return }
            continuation.resume(with: Result { try deliver(immediate) })
        }
    }

    private enum Taken {
        case message([UInt8], wireSize: Int)
        case end(RPCError?)
    }

    private static func take(_ state: inout State) -> Taken? {
        if state.head < state.messages.count {
            let message = state.messages[state.head]
            state.messages[state.head].bytes = []
            state.head += 1
            if state.head == state.messages.count {
                state.messages.removeAll(keepingCapacity: true)
                state.head = 0
            }
            return .message(message.bytes, wireSize: message.wireSize)
        }
        if let end = state.end { return .end(end) }
        return nil
    }

    private func deliver(_ taken: Taken) throws -> [UInt8]? {
        switch taken {
        case .message(let bytes, let wireSize):
            onRead(wireSize)
            return bytes
        case .end(let error):
            if let error { throw error }
            return nil
        }
    }
}

/// The response messages of a call as an asynchronous sequence.
struct ClientResponseSequence: AsyncSequence, Sendable {
    typealias Element = [UInt8]

    let queue: ClientResponseQueue

    struct AsyncIterator: AsyncIteratorProtocol {
        let queue: ClientResponseQueue

        mutating func next() async throws -> [UInt8]? {
            try await queue.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(queue: queue)
    }
}
