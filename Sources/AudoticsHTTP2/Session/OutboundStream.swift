/// The body queue of one stream we send on: bytes waiting for nghttp2's data provider, then the end
/// of the stream with or without trailers.
final class OutboundStream {
    /// The oldest chunk not yet copied whole (most streams queue only one, so only it ever exists), and how far
    /// it was copied.
    private var current: [UInt8] = []
    private var offset = 0
    /// The chunks queued after `current`, from `laterHead` on.
    private var later: [[UInt8]] = []
    private var laterHead = 0
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
        if current.isEmpty && laterHead == later.count {
            current = bytes
            offset = 0
        } else {
            later.append(bytes)
        }
        bufferedBytes += bytes.count
    }

    func finish(trailers: PreparedHeaders?) {
        isFinished = true
        self.trailers = trailers
    }

    /// Copies up to `capacity` queued bytes to `destination` and returns how many were copied.
    func copy(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        var written = 0
        while written < capacity {
            if offset == current.count {
                guard laterHead < later.count else { break }
                current = later[laterHead]
                offset = 0
                laterHead += 1
                if laterHead == later.count {
                    later.removeAll(keepingCapacity: true)
                    laterHead = 0
                } else if laterHead > 32 {
                    later.removeFirst(laterHead)
                    laterHead = 0
                }
            }
            let count = min(capacity - written, current.count - offset)
            current.withUnsafeBufferPointer { source in
                (destination + written).update(from: source.baseAddress! + offset, count: count)
            }
            written += count
            offset += count
        }
        // A chunk copied whole is let go at once.
        if offset == current.count {
            current = []
            offset = 0
        }
        bufferedBytes -= written
        return written
    }
}
