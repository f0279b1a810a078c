internal import CProtobufC

// Helpers that generated code calls to build protobuf-c structs from Swift values. Everything
// allocated here lives in the arena and is released with it.
//
// The generic helpers are `@inlinable` so they are specialized in the generated module: an
// unspecialized generic call across the module boundary looks up type metadata at run time
// (for `[M]`, `UnsafeMutablePointer<C>`, the enumerated iterator...) on every call, which the
// codec benchmark measured at a fifth of encode time.
extension ProtobufCArena {
    /// A NUL-terminated copy of `string`, as protobuf-c expects for `string` fields.
    public func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        var string = string
        return string.withUTF8 { utf8 in
            addEncodedBound(utf8.count)
            let target = allocate(CChar.self, count: utf8.count + 1)
            if utf8.count > 0 {
                UnsafeMutableRawPointer(target).copyMemory(from: utf8.baseAddress!, byteCount: utf8.count)
            }
            target[utf8.count] = 0
            return target
        }
    }

    /// A copy of `bytes` for a `bytes` field (`ProtobufCBinaryData.data`), or `nil` when empty.
    public func bytes(_ bytes: [UInt8]) -> UnsafeMutablePointer<UInt8>? {
        guard !bytes.isEmpty else { return nil }
        addEncodedBound(bytes.count)
        let target = allocate(UInt8.self, count: bytes.count)
        bytes.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(target).copyMemory(from: source.baseAddress!, byteCount: bytes.count)
        }
        return target
    }

    /// A copy of a scalar array for a repeated numeric field, or `nil` when empty.
    @inlinable
    public func copy<T: BitwiseCopyable>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else { return nil }
        addEncodedBound(15 * values.count)
        let target = allocate(T.self, count: values.count)
        values.withUnsafeBufferPointer { source in
            UnsafeMutableRawPointer(target).copyMemory(
                from: source.baseAddress!, byteCount: MemoryLayout<T>.stride * values.count)
        }
        return target
    }

    /// Booleans as protobuf-c's `protobuf_c_boolean` (a C `int`), or `nil` when empty.
    public func booleans(_ values: [Bool]) -> UnsafeMutablePointer<Int32>? {
        guard !values.isEmpty else { return nil }
        addEncodedBound(15 * values.count)
        let target = allocate(Int32.self, count: values.count)
        for (index, value) in values.enumerated() { target[index] = value ? 1 : 0 }
        return target
    }

    /// NUL-terminated copies of `strings` for a repeated `string` field, or `nil` when empty.
    public func cStrings(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard !strings.isEmpty else { return nil }
        addEncodedBound(10 * strings.count)
        let target = allocate(UnsafeMutablePointer<CChar>?.self, count: strings.count)
        for (index, string) in strings.enumerated() { target[index] = cString(string) }
        return target
    }

    /// Enum values converted to the C enum type `C`, or `nil` when empty.
    @inlinable
    public func cEnums<E: ProtobufEnum, C: RawRepresentable>(_ values: [E], as type: C.Type) -> UnsafeMutablePointer<C>?
    where C.RawValue: FixedWidthInteger {
        guard !values.isEmpty else { return nil }
        addEncodedBound(15 * values.count)
        let target = allocate(C.self, count: values.count)
        for index in values.indices { target[index] = _ProtobufC.cEnum(values[index]) }
        return target
    }

    /// A C message built from `message`: allocated, initialised by its descriptor, and filled.
    @inlinable
    public func message<M: ProtobufMessage>(_ message: M) -> UnsafeMutableRawPointer {
        let storage = initializedMessage(M._protobufCDescriptor)
        message._protobufCFill(storage, self)
        if !message.unknownFields.isEmpty { setUnknownFields(message.unknownFields, on: storage) }
        return storage
    }

    /// Storage for one C message of `descriptor`'s type, initialised by the descriptor.
    @usableFromInline
    func initializedMessage(_ descriptor: ProtobufCDescriptor) -> UnsafeMutableRawPointer {
        addEncodedBound(15 * Int(descriptor.pointer.pointee.n_fields))
        let storage = allocate(byteCount: descriptor.pointer.pointee.sizeof_message)
        descriptor.pointer.pointee.message_init(storage.assumingMemoryBound(to: ProtobufCMessage.self))
        return storage
    }

    /// A C message built from `message`, typed as the protoc-c struct `C`.
    @inlinable
    public func message<M: ProtobufMessage, C>(_ message: M, as type: C.Type) -> UnsafeMutablePointer<C> {
        self.message(message).assumingMemoryBound(to: C.self)
    }

    /// C messages built from `messages` for a repeated message field, or `nil` when empty.
    @inlinable
    public func messages<M: ProtobufMessage, C>(_ messages: [M], as type: C.Type) -> UnsafeMutablePointer<UnsafeMutablePointer<C>?>? {
        guard !messages.isEmpty else { return nil }
        addEncodedBound(10 * messages.count)
        let target = allocate(UnsafeMutablePointer<C>?.self, count: messages.count)
        for index in messages.indices { target[index] = self.message(messages[index], as: C.self) }
        return target
    }
}
