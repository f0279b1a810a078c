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
    @usableFromInline static var alignment: Int { 16 }
    /// The smallest chunk requested from `malloc`.
    private static let minimumChunkBytes = 1024

    /// Where the next allocation starts and how many bytes the current chunk has left.
    @usableFromInline
    struct Bump {
        @usableFromInline var cursor: UnsafeMutableRawPointer
        @usableFromInline var remaining: Int
    }

    // The bump state lives in the first chunk, behind a pointer: a stored `var` of a class read
    // from inlinable code in another module gets dynamic exclusivity checks (`swift_beginAccess`),
    // which the codec benchmark measured at a fifth of encode time. Allocation stays inlinable,
    // a few instructions in generated code.
    @usableFromInline let bump: UnsafeMutablePointer<Bump>
    /// The first chunk, which also holds `allocator` and `bump`; kept out of `chunks` so that an
    /// arena that never grows costs one `malloc`, not a second one for the array.
    private let firstChunk: UnsafeMutableRawPointer
    /// Chunks added by `grow`, freed with the arena.
    private var chunks: [UnsafeMutableRawPointer] = []
    private var nextChunkBytes: Int
    /// The `ProtobufCAllocator` handed to protobuf-c; it lives at the start of the first chunk.
    let allocator: UnsafeMutablePointer<ProtobufCAllocator>

    /// Creates an arena whose first chunk holds at least `initialCapacity` bytes.
    public init(initialCapacity: Int = 4096) {
        let allocatorBytes = (MemoryLayout<ProtobufCAllocator>.size + Self.alignment - 1) & ~(Self.alignment - 1)
        let headerBytes = allocatorBytes + ((MemoryLayout<Bump>.size + Self.alignment - 1) & ~(Self.alignment - 1))
        let firstChunk = max(initialCapacity, Self.minimumChunkBytes) + headerBytes
        guard let base = malloc(firstChunk) else { fatalError("ProtobufCArena: out of memory") }
        allocator = base.bindMemory(to: ProtobufCAllocator.self, capacity: 1)
        bump = (base + allocatorBytes).bindMemory(to: Bump.self, capacity: 1)
        bump.initialize(to: Bump(cursor: base + headerBytes, remaining: firstChunk - headerBytes))
        self.firstChunk = base
        nextChunkBytes = firstChunk * 2
        allocator.initialize(to: ProtobufCAllocator(alloc: arenaAlloc, free: arenaFree, allocator_data: nil))
        allocator.pointee.allocator_data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        free(firstChunk)
        for chunk in chunks { free(chunk) }
    }

    /// Returns `byteCount` bytes of uninitialized memory, 16-byte aligned, valid until the arena is dropped.
    @inlinable
    public func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let rounded = (max(byteCount, 1) + Self.alignment - 1) & ~(Self.alignment - 1)
        if rounded > bump.pointee.remaining { grow(toFit: rounded) }
        let result = bump.pointee.cursor
        bump.pointee.cursor += rounded
        bump.pointee.remaining -= rounded
        return result
    }

    /// Returns uninitialized storage for `count` values of `T`.
    @inlinable
    public func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        precondition(MemoryLayout<T>.alignment <= Self.alignment, "ProtobufCArena: over-aligned type")
        let raw = allocate(byteCount: MemoryLayout<T>.stride * count)
        return raw.bindMemory(to: T.self, capacity: count)
    }

    @usableFromInline
    func grow(toFit bytes: Int) {
        let size = max(bytes, nextChunkBytes)
        guard let chunk = malloc(size) else { fatalError("ProtobufCArena: out of memory") }
        chunks.append(chunk)
        bump.pointee = Bump(cursor: chunk, remaining: size)
        nextChunkBytes = min(size * 2, 16 * 1024 * 1024)
    }
}

/// protobuf-c's allocation callback: serve from the arena in `allocator_data`.
private func arenaAlloc(_ data: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
    guard let data else { return nil }
    // Guaranteed reference: the arena outlives every unpack it serves, so no retain/release.
    return Unmanaged<ProtobufCArena>.fromOpaque(data)._withUnsafeGuaranteedRef { $0.allocate(byteCount: size) }
}

/// protobuf-c's free callback: a no-op, the arena frees everything at once.
private func arenaFree(_ data: UnsafeMutableRawPointer?, _ pointer: UnsafeMutableRawPointer?) {}
