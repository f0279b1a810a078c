import AudoticsProtobuf

/// An array of fixed-size elements built in the arena, doubling as it fills.
struct GrowableArray {
    let stride: Int
    let arena: ProtobufCArena
    private(set) var base: UnsafeMutableRawPointer
    private(set) var count = 0
    private var capacity = 8

    init(stride: Int, arena: ProtobufCArena) {
        self.stride = stride
        self.arena = arena
        base = arena.allocate(byteCount: 8 * stride)
    }

    /// Zeroed room for one more element.
    mutating func appendSlot() -> UnsafeMutableRawPointer {
        if count == capacity {
            let grown = arena.allocate(byteCount: capacity * 2 * stride)
            grown.copyMemory(from: base, byteCount: count * stride)
            base = grown
            capacity *= 2
        }
        let slot = base + count * stride
        slot.initializeMemory(as: UInt8.self, repeating: 0, count: stride)
        count += 1
        return slot
    }
}
