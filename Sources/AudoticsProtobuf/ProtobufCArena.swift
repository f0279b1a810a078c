internal import CProtobufC
internal import Glibc

/// A bump allocator that owns every C allocation made while encoding or decoding one message.
///
/// protobuf-c unpacks into many small allocations (the message, each string, each array), and
/// encoding builds the same structs from Swift values; the arena serves them all from one buffer
/// and frees them together when its scope ends, so nothing leaks and protobuf-c's `free` is a no-op.
///
/// An arena exists only inside `ProtobufCArena.with(initialCapacity:_:)`: its first block is a
/// temporary allocation (on the stack when small), further blocks come from `malloc` and are freed
/// when the scope ends. The value is a pointer to that state: never let it escape the closure.
public struct ProtobufCArena {
    /// Alignment of every allocation: enough for any protobuf-c struct member on supported platforms.
    @usableFromInline static var alignment: Int { 16 }
    /// Bytes at the start of the first block that hold `State`.
    @usableFromInline static var headerBytes: Int { (MemoryLayout<State>.size + alignment - 1) & ~(alignment - 1) }
    /// Bytes at the start of each `malloc`ed block that link it to the previous one.
    @usableFromInline static var linkBytes: Int { 16 }

    /// The arena's bookkeeping, at the start of its first block.
    @usableFromInline
    struct State {
        /// Where the next allocation starts.
        @usableFromInline var cursor: UnsafeMutableRawPointer
        /// Bytes left in the current block.
        @usableFromInline var remaining: Int
        /// The most recent `malloc`ed block; each starts with a pointer to the one before.
        var blocks: UnsafeMutableRawPointer?
        /// The size of the next `malloc`ed block.
        var nextBlockBytes: Int
        /// An upper bound of the encoded size of what was built in the arena (see `encodedBound`).
        @usableFromInline var encodedBound: Int
        /// The allocator handed to protobuf-c's `unpack`; its `allocator_data` points at this state.
        var allocator: ProtobufCAllocator
    }

    @usableFromInline let state: UnsafeMutablePointer<State>

    @usableFromInline
    init(state: UnsafeMutablePointer<State>) {
        self.state = state
    }

    /// Runs `body` with a new arena whose first block holds at least `initialCapacity` bytes.
    @inlinable
    public static func with<Result, Failure: Error>(
        initialCapacity: Int, _ body: (ProtobufCArena) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let capacity = Swift.max(initialCapacity, 256)
        return try withUnsafeTemporaryAllocation(byteCount: headerBytes + capacity, alignment: alignment) { buffer throws(Failure) in
            let arena = ProtobufCArena(firstBlock: buffer.baseAddress!, capacity: capacity)
            defer { arena.freeBlocks() }
            return try body(arena)
        }
    }

    @usableFromInline
    init(firstBlock: UnsafeMutableRawPointer, capacity: Int) {
        state = firstBlock.bindMemory(to: State.self, capacity: 1)
        state.initialize(
            to: State(
                cursor: firstBlock + Self.headerBytes, remaining: capacity, blocks: nil,
                nextBlockBytes: Swift.max(capacity * 2, 4096), encodedBound: 0,
                allocator: ProtobufCAllocator(alloc: arenaAlloc, free: arenaFree, allocator_data: nil)))
        state.pointee.allocator.allocator_data = UnsafeMutableRawPointer(state)
    }

    /// Frees the `malloc`ed blocks; the first block belongs to the caller of `with`.
    @usableFromInline
    func freeBlocks() {
        var block = state.pointee.blocks
        while let current = block {
            block = current.load(as: UnsafeMutableRawPointer?.self)
            free(current)
        }
        state.pointee.blocks = nil
    }

    /// The allocator to hand to protobuf-c.
    var allocator: UnsafeMutablePointer<ProtobufCAllocator> {
        UnsafeMutableRawPointer(state).advanced(by: MemoryLayout<State>.offset(of: \State.allocator)!)
            .assumingMemoryBound(to: ProtobufCAllocator.self)
    }

    /// Returns `byteCount` bytes of uninitialized memory, 16-byte aligned, valid until the arena's scope ends.
    @inlinable
    public func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let rounded = (Swift.max(byteCount, 1) + Self.alignment - 1) & ~(Self.alignment - 1)
        if rounded > state.pointee.remaining { grow(toFit: rounded) }
        let result = state.pointee.cursor
        state.pointee.cursor += rounded
        state.pointee.remaining -= rounded
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
        let size = Swift.max(bytes + Self.linkBytes, state.pointee.nextBlockBytes)
        guard let block = malloc(size) else { fatalError("ProtobufCArena: out of memory") }
        block.storeBytes(of: state.pointee.blocks, as: UnsafeMutableRawPointer?.self)
        state.pointee.blocks = block
        state.pointee.cursor = block + Self.linkBytes
        state.pointee.remaining = size - Self.linkBytes
        state.pointee.nextBlockBytes = Swift.min(size * 2, 16 * 1024 * 1024)
    }

    /// An upper bound of the encoded size of the messages built in this arena so far.
    ///
    /// Every helper that builds part of a C message adds what that part can take on the wire, so
    /// `pack` can write into a buffer of this size without protobuf-c's separate sizing pass:
    /// 15 bytes per declared field (a 5-byte tag and a 10-byte varint cover any scalar, and the tag
    /// and length prefix of a string, bytes or message field), the length of every string and bytes
    /// value, and 15 bytes per element of repeated fields (10 for strings, bytes and messages, whose
    /// contents are counted separately, 40 for map entries).
    @inlinable
    public var encodedBound: Int { state.pointee.encodedBound }

    /// Adds `bytes` to `encodedBound`; generated code calls it for parts it builds itself.
    @inlinable
    public func addEncodedBound(_ bytes: Int) {
        state.pointee.encodedBound &+= bytes
    }
}

/// protobuf-c's allocation callback: serve from the arena whose state is `allocator_data`.
private func arenaAlloc(_ data: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
    guard let data else { return nil }
    return ProtobufCArena(state: data.assumingMemoryBound(to: ProtobufCArena.State.self)).allocate(byteCount: size)
}

/// protobuf-c's free callback: a no-op, the arena frees everything at once.
private func arenaFree(_ data: UnsafeMutableRawPointer?, _ pointer: UnsafeMutableRawPointer?) {}
