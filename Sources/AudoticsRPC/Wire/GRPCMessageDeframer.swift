/// Splits the bytes of a gRPC stream's DATA frames into Length-Prefixed-Messages.
///
/// PROTOCOL-HTTP2: `Length-Prefixed-Message → Compressed-Flag Message-Length Message`, a 1-byte flag (0 or 1),
/// a 4-byte big-endian length, then the message; and "DATA frame boundaries have no relation to
/// Length-Prefixed-Message boundaries". Feed chunks of any size with `append(_:)`, then drain `next()`; call
/// `finish()` at END_STREAM. A value with no I/O: the transport owns one per stream.
///
/// Errors are reported in stream order: messages completed before a fault are still returned by `next()`, then
/// `next()` throws, and keeps throwing; bytes after the fault are ignored.
/// - A declared length above `maxMessageBytes` fails with RESOURCE_EXHAUSTED as soon as the 5-byte prefix is
///   read; none of the message is buffered.
/// - A Compressed-Flag other than 0 or 1 fails with INTERNAL.
/// - END_STREAM in the middle of a message fails with INTERNAL (the framing is corrupt, which PROTOCOL-HTTP2
///   maps to INTERNAL throughout).
public struct GRPCMessageDeframer: Sendable {
    /// One received message, still compressed if its flag says so.
    public struct Message: Hashable, Sendable {
        /// The Compressed-Flag: whether `bytes` is compressed with the stream's `grpc-encoding`.
        public var compressed: Bool
        /// The message bytes as sent.
        public var bytes: [UInt8]

        /// Creates a message.
        public init(compressed: Bool, bytes: [UInt8]) {
            self.compressed = compressed
            self.bytes = bytes
        }
    }

    /// The default receive limit: 4 MiB, as in other gRPC implementations.
    public static let defaultMaxMessageBytes = 4 * 1024 * 1024

    /// The size of the Compressed-Flag and Message-Length prefix.
    public static let prefixLength = 5

    private enum State: Sendable {
        /// Reading the prefix: `count` bytes of it seen so far, packed big-endian into `bytes`.
        case prefix(bytes: UInt64, count: Int)
        /// Reading a message body of `length` bytes, `body` holding what has arrived.
        case body(compressed: Bool, length: Int, body: [UInt8])
        /// A fault was found; every later `next()` throws it.
        case failed(RPCError)
    }

    /// The largest message accepted, in bytes.
    public let maxMessageBytes: Int
    private var state: State = .prefix(bytes: 0, count: 0)
    /// The oldest complete message not taken yet, when it is the only one (the common case, without an array).
    private var first: Message?
    /// Complete messages after `first`, from `readyIndex` on.
    private var ready: [Message] = []
    private var readyIndex = 0
    private var finished = false

    /// Creates a deframer that accepts messages of up to `maxMessageBytes` bytes.
    public init(maxMessageBytes: Int = GRPCMessageDeframer.defaultMaxMessageBytes) {
        precondition(maxMessageBytes >= 0, "maxMessageBytes must not be negative")
        self.maxMessageBytes = maxMessageBytes
    }

    /// Whether part of a message (some of its prefix or body) has been received but not completed.
    public var hasPartialMessage: Bool {
        switch state {
        case .prefix(_, let count): count > 0
        case .body: true
        case .failed: false
        }
    }

    /// Feeds bytes that arrived on the stream, in order.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        append(contiguous: UnsafeBufferPointer(start: start, count: bytes.count))
    }

    /// Feeds bytes that arrived on the stream, in order.
    public mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in append(contiguous: buffer) }
        if handled == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { buffer in append(contiguous: buffer) }
        }
    }

    /// Marks the end of the stream (END_STREAM). After it, `next()` returns the remaining messages and then
    /// throws INTERNAL if a message was cut short, or returns `nil` if the stream ended cleanly.
    public mutating func finish() {
        finished = true
    }

    /// The next complete message; `nil` when more bytes are needed (or the stream ended cleanly).
    public mutating func next() throws(RPCError) -> Message? {
        if let message = first {
            first = nil
            return message
        }
        if readyIndex < ready.count {
            let message = ready[readyIndex]
            ready[readyIndex].bytes = []  // drop the queue's reference so the caller owns the only copy
            readyIndex += 1
            if readyIndex == ready.count {
                ready.removeAll(keepingCapacity: true)
                readyIndex = 0
            }
            return message
        }
        if case .failed(let error) = state { throw error }
        if finished && hasPartialMessage {
            let error = RPCError(code: .internal, message: "the stream ended in the middle of a message")
            state = .failed(error)
            throw error
        }
        return nil
    }

    private mutating func append(contiguous input: UnsafeBufferPointer<UInt8>) {
        var index = 0
        let end = input.count
        while index < end {
            switch state {
            case .failed:
                return
            case .prefix(var bytes, var count):
                while count < Self.prefixLength && index < end {
                    bytes = bytes << 8 | UInt64(input[index])
                    count += 1
                    index += 1
                }
                guard count == Self.prefixLength else {
                    state = .prefix(bytes: bytes, count: count)
                    return
                }
                let flag = UInt8(truncatingIfNeeded: bytes >> 32)
                let length = Int(UInt32(truncatingIfNeeded: bytes))
                guard flag <= 1 else {
                    let message = "invalid Compressed-Flag \(flag) (must be 0 or 1)"
                    state = .failed(RPCError(code: .internal, message: message))
                    return
                }
                guard length <= maxMessageBytes else {
                    state = .failed(RPCError(
                        code: .resourceExhausted,
                        message: "message of \(length) bytes is larger than the limit of \(maxMessageBytes) bytes",
                        cause: RPCError.messageTooLargeCause
                    ))
                    return
                }
                let available = end - index
                if available >= length {
                    // The common case: the whole message is in this chunk; copy it exactly once.
                    enqueue(Message(compressed: flag == 1, bytes: Array(input[index..<(index + length)])))
                    index += length
                    state = .prefix(bytes: 0, count: 0)
                } else {
                    // Reserve only what is here plus a little: a declared length is a claim, not a promise, and
                    // reserving it all would let a peer pin memory it never sends.
                    var body: [UInt8] = []
                    body.reserveCapacity(min(length, available + 64 * 1024))
                    body.append(contentsOf: input[index..<end])
                    index = end
                    state = .body(compressed: flag == 1, length: length, body: body)
                }
            case .body(let compressed, let length, var body):
                state = .prefix(bytes: 0, count: 0)  // release `body`'s storage from `state` while it grows
                let take = min(length - body.count, end - index)
                body.append(contentsOf: input[index..<(index + take)])
                index += take
                if body.count == length {
                    enqueue(Message(compressed: compressed, bytes: body))
                } else {
                    state = .body(compressed: compressed, length: length, body: body)
                }
            }
        }
    }

    /// Queues a complete message after those not taken yet.
    private mutating func enqueue(_ message: Message) {
        if first == nil && readyIndex == ready.count {
            first = message
        } else {
            ready.append(message)
        }
    }
}
