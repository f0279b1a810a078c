internal import CProtobufC
internal import Glibc

/// A bump allocator that owns every C allocation made while encoding or decoding one message.
///
/// protobuf-c unpacks into many small allocations (the message, each string, each array); the
/// arena serves them from a few large chunks and frees them all at once in `deinit`, so nothing
/// leaks and `free` is a no-op. The arena is used by one encode or decode call on one thread and
/// then dropped; it is deliberately not `Sendable`.
public final class ProtobufCArena {
    /// Alignment of every allocation: enough for any protobuf-c struct member on supported platforms.
    private static let alignment = 16
    /// The smallest chunk requested from `malloc`.
    private static let minimumChunkBytes = 1024

    private var cursor: UnsafeMutableRawPointer
    private var remaining: Int
    private var chunks: [UnsafeMutableRawPointer]
    private var nextChunkBytes: Int
    /// The `ProtobufCAllocator` handed to protobuf-c; it lives at the start of the first chunk.
    let allocator: UnsafeMutablePointer<ProtobufCAllocator>

    /// Creates an arena whose first chunk holds at least `initialCapacity` bytes.
    public init(initialCapacity: Int = 4096) {
        let headerBytes = (MemoryLayout<ProtobufCAllocator>.size + Self.alignment - 1) & ~(Self.alignment - 1)
        let firstChunk = max(initialCapacity, Self.minimumChunkBytes) + headerBytes
        guard let base = malloc(firstChunk) else { fatalError("ProtobufCArena: out of memory") }
        allocator = base.bindMemory(to: ProtobufCAllocator.self, capacity: 1)
        cursor = base + headerBytes
        remaining = firstChunk - headerBytes
        chunks = [base]
        nextChunkBytes = firstChunk * 2
        allocator.initialize(to: ProtobufCAllocator(alloc: arenaAlloc, free: arenaFree, allocator_data: nil))
        allocator.pointee.allocator_data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        for chunk in chunks { free(chunk) }
    }

    /// Returns `byteCount` bytes of uninitialized memory, 16-byte aligned, valid until the arena is dropped.
    public func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let rounded = (max(byteCount, 1) + Self.alignment - 1) & ~(Self.alignment - 1)
        if rounded > remaining { grow(toFit: rounded) }
        let result = cursor
        cursor += rounded
        remaining -= rounded
        return result
    }

    /// Returns uninitialized storage for `count` values of `T`.
    public func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        precondition(MemoryLayout<T>.alignment <= Self.alignment, "ProtobufCArena: over-aligned type")
        let raw = allocate(byteCount: MemoryLayout<T>.stride * count)
        return raw.bindMemory(to: T.self, capacity: count)
    }

    private func grow(toFit bytes: Int) {
        let size = max(bytes, nextChunkBytes)
        guard let chunk = malloc(size) else { fatalError("ProtobufCArena: out of memory") }
        chunks.append(chunk)
        cursor = chunk
        remaining = size
        nextChunkBytes = min(size * 2, 16 * 1024 * 1024)
    }
}

/// protobuf-c's allocation callback: serve from the arena in `allocator_data`.
private func arenaAlloc(_ data: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
    guard let data else { return nil }
    return Unmanaged<ProtobufCArena>.fromOpaque(data).takeUnretainedValue().allocate(byteCount: size)
}

/// protobuf-c's free callback: a no-op, the arena frees everything at once.
private func arenaFree(_ data: UnsafeMutableRawPointer?, _ pointer: UnsafeMutableRawPointer?) {}
