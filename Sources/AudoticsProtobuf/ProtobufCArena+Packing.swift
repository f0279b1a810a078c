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

    /// The exact encoded size of a filled C message (protobuf-c's sizing pass).
    @usableFromInline
    static func packedSize(_ message: UnsafeMutableRawPointer) -> Int {
        protobuf_c_message_get_packed_size(message.assumingMemoryBound(to: ProtobufCMessage.self))
    }

    /// Packs a filled C message into `destination`, which holds at least `encodedBound` bytes, and
    /// returns the number of bytes written.
    ///
    /// No sizing pass: the arena's bound is a proven upper limit (debug builds check it against
    /// protobuf-c's own size before writing).
    @usableFromInline
    func pack(_ message: UnsafeMutableRawPointer, into destination: UnsafeMutableRawPointer) -> Int {
        let bound = encodedBound
        assert(Self.packedSize(message) <= bound, "ProtobufCArena: encoded bound \(bound) is below the packed size")
        let written = protobuf_c_message_pack(
            message.assumingMemoryBound(to: ProtobufCMessage.self), destination.assumingMemoryBound(to: UInt8.self))
        precondition(written <= bound, "protobuf-c packed \(written) bytes, over the bound of \(bound)")
        return written
    }

    /// The encoding of a filled C message as a new array.
    @usableFromInline
    func packedBytes(_ message: UnsafeMutableRawPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: encodedBound) { buffer, count in
            count = pack(message, into: buffer.baseAddress!)
        }
    }

    /// Hands unknown fields back to protobuf-c, which packs them after the known ones.
    @usableFromInline
    func setUnknownFields(_ unknown: UnknownFields, on message: UnsafeMutableRawPointer) {
        let base = message.assumingMemoryBound(to: ProtobufCMessage.self)
        let fields = allocate(ProtobufCMessageUnknownField.self, count: unknown.fields.count)
        for (index, field) in unknown.fields.enumerated() {
            let data = allocate(UInt8.self, count: field.data.count)
            field.data.withUnsafeBufferPointer { data.initialize(from: $0.baseAddress!, count: field.data.count) }
            fields[index] = ProtobufCMessageUnknownField(
                tag: field.number, wire_type: ProtobufCWireType(rawValue: UInt32(field.wireType)), len: field.data.count, data: data)
            addEncodedBound(5 + field.data.count)
        }
        base.pointee.n_unknown_fields = UInt32(unknown.fields.count)
        base.pointee.unknown_fields = fields
    }
}
