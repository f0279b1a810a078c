internal import CProtobufC
internal import Glibc

// Arena calls for code that builds and reads C messages through their descriptors rather than
// through generated Swift types (the proto3 JSON mapping in AudoticsJSON).
extension ProtobufCArena {
    /// An arena that outlives a closure, for a message built over several calls: its first block is
    /// `malloc`ed. Call `deallocateOwned()` exactly once when done; nothing it served stays valid.
    package static func allocateOwned(initialCapacity: Int) -> ProtobufCArena {
        let capacity = Swift.max(initialCapacity, 256)
        guard let block = malloc(headerBytes + capacity) else { fatalError("ProtobufCArena: out of memory") }
        return ProtobufCArena(firstBlock: block, capacity: capacity)
    }

    /// Frees an arena made by `allocateOwned(initialCapacity:)`.
    package func deallocateOwned() {
        freeBlocks()
        free(UnsafeMutableRawPointer(state))
    }

    /// A new C message of `descriptor`'s type with every field at its default.
    package func newMessage(_ descriptor: ProtobufCDescriptor) -> UnsafeMutableRawPointer {
        initializedMessage(descriptor)
    }

    /// Unpacks `bytes` as a message of `descriptor`'s type; `nil` when the bytes are malformed.
    package func unpackMessage(_ descriptor: ProtobufCDescriptor, _ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer? {
        unpack(descriptor, bytes)
    }

    /// The encoding of a filled C message, sized by protobuf-c's own sizing pass.
    package func packExactly(_ message: UnsafeRawPointer) -> [UInt8] {
        let cMessage = UnsafeMutableRawPointer(mutating: message).assumingMemoryBound(to: ProtobufCMessage.self)
        let size = protobuf_c_message_get_packed_size(cMessage)
        return [UInt8](unsafeUninitializedCapacity: Swift.max(size, 1)) { buffer, count in
            count = protobuf_c_message_pack(cMessage, buffer.baseAddress!)
        }
    }

    /// The encoding of a filled C message, written into memory from this arena (for `Any.value`).
    package func packInArena(_ message: UnsafeRawPointer) -> UnsafeMutableRawBufferPointer {
        let cMessage = UnsafeMutableRawPointer(mutating: message).assumingMemoryBound(to: ProtobufCMessage.self)
        let size = protobuf_c_message_get_packed_size(cMessage)
        let target = allocate(byteCount: size)
        let written = protobuf_c_message_pack(cMessage, target.assumingMemoryBound(to: UInt8.self))
        return UnsafeMutableRawBufferPointer(start: target, count: written)
    }
}
