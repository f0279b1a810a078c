import AudoticsProtobuf

/// Writes to the parts of a C message that protobuf-c reads when packing: values, oneof cases,
/// presence flags and element counts.
enum FieldStorage {
    /// Sets a field back to its default: empty list, unset oneof or message, zero, empty string.
    static func clear(_ field: FieldSchema, in message: UnsafeMutableRawPointer, arena: ProtobufCArena) {
        let f = field
        if f.label == .repeated {
            message.storeBytes(of: 0, toByteOffset: f.quantifierOffset, as: Int.self)
            message.storeBytes(of: nil, toByteOffset: f.offset, as: UnsafeMutableRawPointer?.self)
            return
        }
        if f.isOneofMember {
            if message.load(fromByteOffset: f.quantifierOffset, as: UInt32.self) == f.number {
                message.storeBytes(of: 0, toByteOffset: f.quantifierOffset, as: UInt32.self)
            }
            return
        }
        if f.label == .optional, f.kind != .message, f.kind != .string {
            message.storeBytes(of: 0, toByteOffset: f.quantifierOffset, as: Int32.self)
        }
        let value = message + f.offset
        switch f.kind {
        case .message: value.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
        case .string:
            let empty = arena.allocate(UInt8.self, count: 1)
            empty.pointee = 0
            value.storeBytes(of: empty, as: UnsafeMutablePointer<UInt8>.self)
        case .bytes:
            value.storeBytes(of: 0, as: Int.self)
            value.storeBytes(of: nil, toByteOffset: 8, as: UnsafeMutableRawPointer?.self)
        default:
            value.initializeMemory(as: UInt8.self, repeating: 0, count: MessageWriter.stride(f.kind))
        }
    }

    /// The message a singular message field holds, created (at its defaults) when unset.
    static func singularMessage(_ field: FieldSchema, in message: UnsafeMutableRawPointer, arena: ProtobufCArena) -> UnsafeMutableRawPointer {
        let f = field
        let storage = message + f.offset
        let isSet = !f.isOneofMember || message.load(fromByteOffset: f.quantifierOffset, as: UInt32.self) == f.number
        if isSet, let existing = storage.load(as: UnsafeMutableRawPointer?.self) { return existing }
        let created = arena.newMessage(field.message!.descriptor)
        storage.storeBytes(of: created, as: UnsafeMutableRawPointer.self)
        markPresent(field, in: message)
        return created
    }

    /// Records that a singular field was set: its oneof case, or its proto2 `has_` flag.
    static func markPresent(_ field: FieldSchema, in message: UnsafeMutableRawPointer) {
        let f = field
        if f.isOneofMember {
            message.storeBytes(of: f.number, toByteOffset: f.quantifierOffset, as: UInt32.self)
        } else if f.label == .optional, f.kind != .message, f.kind != .string {
            message.storeBytes(of: 1, toByteOffset: f.quantifierOffset, as: Int32.self)
        }
    }

    /// Appends `elements` to a repeated field's array.
    static func append(_ elements: GrowableArray, to field: FieldSchema, in message: UnsafeMutableRawPointer, arena: ProtobufCArena) {
        let f = field
        let existing = message.load(fromByteOffset: f.quantifierOffset, as: Int.self)
        let total = existing + elements.count
        var base = elements.base
        if existing > 0, let old = message.load(fromByteOffset: f.offset, as: UnsafeMutableRawPointer?.self) {
            base = arena.allocate(byteCount: total * elements.stride)
            base.copyMemory(from: old, byteCount: existing * elements.stride)
            (base + existing * elements.stride).copyMemory(from: elements.base, byteCount: elements.count * elements.stride)
        }
        message.storeBytes(of: total, toByteOffset: f.quantifierOffset, as: Int.self)
        message.storeBytes(of: base, toByteOffset: f.offset, as: UnsafeMutableRawPointer.self)
    }
}
