import AudoticsProtobuf

/// One field of a `MessageSchema`.
///
/// Every member is trivially copyable (numbers, buffers that live for the process, unretained
/// references to schemas the cache keeps alive), so walking a message's fields copies no
/// reference-counted value: that was a third of the time spent writing JSON.
struct FieldSchema: @unchecked Sendable {
    // @unchecked Sendable: every member is a `let`; the buffers are written once when the schema is
    // built and only read afterwards; the schemas referred to are never freed (see `MessageSchema.cache`).
    let number: UInt32
    let label: FieldLabel
    let kind: FieldKind
    /// Byte offset of the value (or array pointer) in the C struct.
    let offset: Int
    /// Byte offset of the oneof case, `has_` flag or element count.
    let quantifierOffset: Int
    let isOneofMember: Bool
    /// Whether the field is a `map` (a repeated field of synthesized entries).
    let isMap: Bool
    /// The `.proto` name and the lowerCamelCase JSON name, as UTF-8.
    let protoName: UnsafeBufferPointer<UInt8>
    let jsonName: UnsafeBufferPointer<UInt8>
    /// `"jsonName":` and `"proto_name":`, ready to write.
    let jsonKey: UnsafeBufferPointer<UInt8>
    let protoKey: UnsafeBufferPointer<UInt8>
    private let messageReference: Unmanaged<MessageSchema>?
    private let enumReference: Unmanaged<EnumSchema>?

    init(field: ProtobufCField, message: MessageSchema?, parentName: String) {
        number = field.number
        label = FieldLabel(field.label)
        kind = FieldKind(rawValue: field.kind.rawValue)!
        offset = field.offset
        quantifierOffset = field.quantifierOffset
        isOneofMember = field.isOneofMember
        let protoBytes = Array(field.name.utf8)
        let jsonBytes = Self.lowerCamelCase(protoBytes)
        protoName = Self.immortal(protoBytes)
        jsonName = Self.immortal(jsonBytes)
        jsonKey = Self.immortal([UInt8(ascii: "\"")] + jsonBytes + [UInt8(ascii: "\""), UInt8(ascii: ":")])
        protoKey = Self.immortal([UInt8(ascii: "\"")] + protoBytes + [UInt8(ascii: "\""), UInt8(ascii: ":")])
        messageReference = message.map { Unmanaged.passUnretained($0) }
        // Enum schemas are made once per field and kept for the process, like the message schemas.
        enumReference = field.enumeration.map { Unmanaged.passRetained(EnumSchema($0)) }
        // protoc names a map's entry type `<FieldInCamelCase>Entry`, nested in the message, with
        // fields key = 1 and value = 2; protobuf-c 1.4 keeps no `map_entry` flag to say so.
        if field.label == .repeated, let message {
            var upper = jsonBytes
            if let first = upper.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") { upper[0] = first - 32 }
            let expected = parentName + "." + String(decoding: upper, as: UTF8.self) + "Entry"
            let entryFields = message.descriptor.fields
            isMap = message.fullName == expected && entryFields.count == 2 && entryFields[0].number == 1
                && entryFields[1].number == 2 && entryFields[0].label == .none && entryFields[1].label == .none
        } else {
            isMap = false
        }
    }

    /// The message type of a message field (also of a map's entries).
    var message: MessageSchema? { messageReference?.takeUnretainedValue() }
    /// The enum type of an enum field.
    var enumeration: EnumSchema? { enumReference?.takeUnretainedValue() }
    var isRepeated: Bool { label == .repeated }
    /// The `.proto` name, for error messages.
    var name: String { String(decoding: protoName, as: UTF8.self) }
    /// The lowerCamelCase name, for error messages.
    var jsonNameString: String { String(decoding: jsonName, as: UTF8.self) }

    /// A copy of `bytes` in memory that is never freed.
    static func immortal(_ bytes: [UInt8]) -> UnsafeBufferPointer<UInt8> {
        let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Swift.max(bytes.count, 1))
        _ = storage.initialize(from: bytes)
        return UnsafeBufferPointer(rebasing: storage[..<bytes.count])
    }

    /// protoc's `ToJsonName`: drop each `_` and upper-case the letter after it.
    static func lowerCamelCase(_ name: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(name.count)
        var upperNext = false
        for byte in name {
            if byte == UInt8(ascii: "_") {
                upperNext = true
            } else if upperNext {
                result.append(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte)
                upperNext = false
            } else {
                result.append(byte)
            }
        }
        return result
    }
}

/// A field's type, as `ProtobufCField.Kind` (mirrored here so comparisons inline).
enum FieldKind: UInt32, Sendable {
    case int32, sint32, sfixed32, int64, sint64, sfixed64, uint32, fixed32, uint64, fixed64
    case float, double, bool, enumeration, string, bytes, message
}

/// A field's label, as `ProtobufCField.Label` (mirrored here so comparisons inline).
enum FieldLabel: Sendable {
    case required, optional, repeated, none

    init(_ label: ProtobufCField.Label) {
        switch label {
        case .required: self = .required
        case .optional: self = .optional
        case .repeated: self = .repeated
        case .none: self = .none
        }
    }
}
