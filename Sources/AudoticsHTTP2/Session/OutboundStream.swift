/// The body queue of one stream we send on: bytes waiting for nghttp2's data provider, then the end
/// of the stream with or without trailers.
final class OutboundStream {
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var offset = 0
    /// Bytes queued and not yet copied into frames.
    private(set) var bufferedBytes = 0
    /// Whether no more data will be queued.
    private(set) var isFinished = false
    /// Trailers to send after the body, if any.
    private(set) var trailers: PreparedHeaders?
    /// Whether the provider told nghttp2 to wait (it must be resumed when data arrives).
    var isDeferred = false

    func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        chunks.append(bytes)
        bufferedBytes += bytes.count
    }

    func finish(trailers: PreparedHeaders?) {
        isFinished = true
        self.trailers = trailers
    }

    /// Copies up to `capacity` queued bytes to `destination` and returns how many were copied.
    func copy(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        var written = 0
        while written < capacity, head < chunks.count {
            let chunk = chunks[head]
            let count = min(capacity - written, chunk.count - offset)
            chunk.withUnsafeBufferPointer { source in
                (destination + written).update(from: source.baseAddress! + offset, count: count)
            }
            written += count
            offset += count
            if offset == chunk.count {
                head += 1
                offset = 0
            }
        }
        if head == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 32 {
            chunks.removeFirst(head)
            head = 0
        }
        bufferedBytes -= written
        return written
    }
}
