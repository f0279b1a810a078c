internal import CProtobufC
internal import Glibc

/// Conversions from protobuf-c structs to Swift values, called by generated code only.
///
/// The generic helpers are `@inlinable` so they are specialized where generated code calls them;
/// unspecialized, every call looked up type metadata at run time (see ProtobufCArena+Encoding).
public enum _ProtobufC {
    /// A `string` field: validates UTF-8 (protobuf-c does not) and copies.
    public static func string(_ pointer: UnsafePointer<CChar>?, field: StaticString, message: String) throws(CodecError) -> String {
        guard let pointer, pointer.pointee != 0 else { return "" }
        let length = strlen(pointer)
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: length)
        // Most strings are ASCII: a word-at-a-time check, then a copy without a second validation.
        if isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        // `String(validatingCString:)` validates and copies in one non-generic pass; the generic
        // `String(validating:as:)` resolved its encoding's metadata on every call (40% of the
        // decode time of a batch of events).
        guard let string = String(validatingCString: pointer) else {
            throw CodecError(code: .invalidUTF8, message: "\(message).\(field): the string is not valid UTF-8")
        }
        return string
    }

    /// Whether every byte is below 0x80, checked eight bytes at a time.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawBufferPointer(bytes)
        var index = 0
        while index + 8 <= raw.count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < raw.count {
            if raw[index] & 0x80 != 0 { return false }
            index += 1
        }
        return true
    }

    /// A `string` field from a mutable C pointer.
    public static func string(_ pointer: UnsafeMutablePointer<CChar>?, field: StaticString, message: String) throws(CodecError) -> String {
        try string(UnsafePointer(pointer), field: field, message: message)
    }

    /// The unknown fields protobuf-c kept while unpacking a message.
    public static func unknownFields(_ message: UnsafeRawPointer) -> UnknownFields {
        let base = message.assumingMemoryBound(to: ProtobufCMessage.self).pointee
        var unknown = UnknownFields()
        guard base.n_unknown_fields > 0, let fields = base.unknown_fields else { return unknown }
        unknown.fields.reserveCapacity(Int(base.n_unknown_fields))
        for index in 0..<Int(base.n_unknown_fields) {
            let field = fields[index]
            let data = field.len > 0 ? Array(UnsafeBufferPointer(start: field.data, count: field.len)) : []
            unknown.fields.append(UnknownFields.Field(number: field.tag, wireType: UInt8(truncatingIfNeeded: field.wire_type.rawValue), data: data))
        }
        return unknown
    }

    /// A `bytes` field from its `ProtobufCBinaryData` parts.
    public static func bytes(_ data: UnsafeMutablePointer<UInt8>?, _ length: Int) -> [UInt8] {
        guard let data, length > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: length))
    }

    /// A repeated scalar field.
    @inlinable
    public static func scalars<T>(_ pointer: UnsafeMutablePointer<T>?, _ count: Int) -> [T] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    /// A repeated `bool` field stored as `protobuf_c_boolean`.
    public static func booleans(_ pointer: UnsafeMutablePointer<Int32>?, _ count: Int) -> [Bool] {
        guard let pointer, count > 0 else { return [] }
        return UnsafeBufferPointer(start: pointer, count: count).map { $0 != 0 }
    }

    /// A repeated `string` field.
    public static func strings(
        _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int, field: StaticString, message: String
    ) throws(CodecError) -> [String] {
        guard let pointer, count > 0 else { return [] }
        var result: [String] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            result.append(try string(pointer[index], field: field, message: message))
        }
        return result
    }

    /// An enum field: keeps numbers this build does not know.
    @inlinable
    public static func enumValue<E: ProtobufEnum, C: RawRepresentable>(_ value: C) -> E where C.RawValue: FixedWidthInteger {
        E(rawValue: Int32(truncatingIfNeeded: value.rawValue))
    }

    /// The C enum for a Swift enum value.
    @inlinable
    public static func cEnum<E: ProtobufEnum, C: RawRepresentable>(_ value: E) -> C where C.RawValue: FixedWidthInteger {
        C(rawValue: C.RawValue(truncatingIfNeeded: value.rawValue))!
    }

    /// A repeated enum field.
    @inlinable
    public static func enumValues<E: ProtobufEnum, C: RawRepresentable>(_ pointer: UnsafeMutablePointer<C>?, _ count: Int) -> [E]
    where C.RawValue: FixedWidthInteger {
        guard let pointer, count > 0 else { return [] }
        return UnsafeBufferPointer(start: pointer, count: count).map { enumValue($0) }
    }

    /// A singular message field, `nil` when absent.
    @inlinable
    public static func message<M: ProtobufMessage, C>(_ pointer: UnsafeMutablePointer<C>?, as type: M.Type) throws(CodecError) -> M? {
        guard let pointer else { return nil }
        return try M(_protobufC: UnsafeRawPointer(pointer))
    }

    /// A repeated message field.
    @inlinable
    public static func messages<M: ProtobufMessage, C>(
        _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<C>?>?, _ count: Int, as type: M.Type
    ) throws(CodecError) -> [M] {
        guard let pointer, count > 0 else { return [] }
        var result: [M] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let element = pointer[index] else { continue }
            result.append(try M(_protobufC: UnsafeRawPointer(element)))
        }
        return result
    }
}
