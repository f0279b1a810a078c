public import AudoticsHTTP2
public import NIOCore

/// The frames of one flush of an HTTP/2 connection, in one buffer that is used again for the next flush.
///
/// The channel usually writes a flush's buffer before the next one, which then finds the storage free and reuses
/// it: no allocation and a single copy (nghttp2's chunk into the buffer) per flush. Storage the channel still
/// holds is left to it (the next flush gets new storage), and storage above `retainedLimit` is not kept.
public struct SessionOutput {
    private var buffer: ByteBuffer?

    /// Storage above this many bytes is not kept for the next flush (a connection's memory stays small).
    public static let retainedLimit = 64 * 1024

    public init() {}

    /// Everything `session` has ready to send, or nil when it has nothing.
    public mutating func take(from session: HTTP2Session, allocator: ByteBufferAllocator) throws(HTTP2Error) -> ByteBuffer? {
        var frames = buffer ?? allocator.buffer(capacity: 4096)
        buffer = nil
        frames.clear()  // keeps the storage if nothing else holds it
        try session.drainOutput { frames.writeBytes($0) }
        if frames.capacity <= Self.retainedLimit { buffer = frames }
        return frames.readableBytes > 0 ? frames : nil
    }
}
