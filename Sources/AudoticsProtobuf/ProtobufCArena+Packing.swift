internal import CProtobufC

// The non-generic calls into protobuf-c behind `ProtobufMessage`'s encode and decode. They are
// `@usableFromInline` so the generic entry points can be `@inlinable` (and specialized per
// message type) while C stays behind this module's `internal import`.
extension ProtobufCArena {
    /// Unpacks `bytes` as a message of `descriptor`'s type into the arena; `nil` when malformed.
    @usableFromInline
    func unpack(_ descriptor: ProtobufCDescriptor, _ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer? {
        withUnsafeBytes(of: UInt8(0)) { empty in
            // protobuf-c wants a non-null pointer even for zero bytes.
            let source = bytes.count > 0 ? bytes : empty
            let decoded = protobuf_c_message_unpack(
                descriptor.pointer, allocator, bytes.count, source.baseAddress!.assumingMemoryBound(to: UInt8.self))
            return decoded.map { UnsafeRawPointer($0) }
        }
    }

    /// The encoded size of a filled C message.
    @usableFromInline
    static func packedSize(_ message: UnsafeMutableRawPointer) -> Int {
        protobuf_c_message_get_packed_size(message.assumingMemoryBound(to: ProtobufCMessage.self))
    }

    /// Packs a filled C message of encoded size `size` into `destination`.
    @usableFromInline
    static func pack(_ message: UnsafeMutableRawPointer, size: Int, into destination: UnsafeMutableRawPointer) {
        let written = protobuf_c_message_pack(
            message.assumingMemoryBound(to: ProtobufCMessage.self), destination.assumingMemoryBound(to: UInt8.self))
        precondition(written == size, "protobuf-c packed \(written) bytes, expected \(size)")
    }

    /// The encoding of a filled C message as a new array.
    @usableFromInline
    static func packedBytes(_ message: UnsafeMutableRawPointer) -> [UInt8] {
        let size = packedSize(message)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            if size > 0 { pack(message, size: size, into: buffer.baseAddress!) }
            count = size
        }
    }
}
