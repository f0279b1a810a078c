import AudoticsProtobuf
import Glibc
import Synchronization

/// What the JSON mapping needs to know about one message type, derived once from its protobuf-c
/// descriptor and cached for the process: field names in both styles as bytes, map entries,
/// well-known types.
///
/// protobuf-c 1.4 descriptors carry no `json_name`, so lowerCamelCase names are derived as protoc
/// derives them (a custom `json_name` option is therefore not honoured; our protos use none).
final class MessageSchema: @unchecked Sendable {
    // @unchecked Sendable: the elements of `fields` are written inside
    // `MessageSchema.cache`'s lock, before the schema is published to any other caller; afterwards
    // nothing mutates them. Schemas are never freed.
    let descriptor: ProtobufCDescriptor
    let fullName: String
    let wellKnown: WellKnownType?
    /// Both names of every field, for looking keys up without reference counting.
    let names: FieldNameTable
    /// The fields in number order: never freed, like the schema (a `let` buffer, so reading it
    /// needs neither reference counting nor exclusivity checks).
    let fields: UnsafeBufferPointer<FieldSchema>
    private let fieldStorage: UnsafeMutableBufferPointer<FieldSchema>

    private init(descriptor: ProtobufCDescriptor) {
        self.descriptor = descriptor
        fullName = descriptor.fullName
        wellKnown = WellKnownType(fullName: fullName)
        let descriptorFields = descriptor.fields
        names = FieldNameTable(descriptorFields.map { Array($0.name.utf8) })
        fieldStorage = .allocate(capacity: Swift.max(descriptorFields.count, 1))
        fields = UnsafeBufferPointer(rebasing: fieldStorage[..<descriptorFields.count])
    }

    /// The field numbered `number`.
    func field(number: UInt32) -> FieldSchema? {
        fields.first { $0.number == number }
    }

    /// The index of the field a JSON key or path segment names, by lowerCamelCase or proto name.
    ///
    /// The search starts at `hint` (the field after the previous key's): keys usually come in field order.
    func fieldIndex(named name: UnsafeRawBufferPointer, hint: Int = 0) -> Int? {
        names.find(name, hint: hint)
    }

    /// The schemas built so far, keyed by descriptor address.
    private static let cache = Mutex<[Int: MessageSchema]>([:])

    /// The schema of `descriptor`'s message type and of every type it reaches.
    static func of(_ descriptor: ProtobufCDescriptor) -> MessageSchema {
        cache.withLock { cache in build(descriptor, &cache) }
    }

    private static func build(_ descriptor: ProtobufCDescriptor, _ cache: inout [Int: MessageSchema]) -> MessageSchema {
        let key = Int(bitPattern: descriptor.address)
        if let known = cache[key] { return known }
        let schema = MessageSchema(descriptor: descriptor)
        cache[key] = schema  // before the fields, so recursive types terminate
        for (index, field) in descriptor.fields.enumerated() {
            let message = field.message.map { build($0, &cache) }
            (schema.fieldStorage.baseAddress! + index).initialize(to: FieldSchema(field: field, message: message, parentName: schema.fullName))
        }
        return schema
    }
}

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

/// An enum type's names and numbers, as bytes for the JSON reader and writer.
final class EnumSchema: @unchecked Sendable {
    // @unchecked Sendable: immutable after `init`; the buffers are never freed.
    let fullName: String
    /// Per declared value: its number, its name and its quoted name (`"NAME"`), in declaration order.
    private let values: [(number: Int32, name: UnsafeBufferPointer<UInt8>, quoted: UnsafeBufferPointer<UInt8>)]

    init(_ descriptor: ProtobufCEnumDescriptor) {
        fullName = descriptor.fullName
        values = descriptor.values.map { value in
            let name = Array(value.name.utf8)
            return (value.number, FieldSchema.immortal(name), FieldSchema.immortal([UInt8(ascii: "\"")] + name + [UInt8(ascii: "\"")]))
        }
    }

    /// The quoted name of `number` (the first declared, for aliases), `nil` when not declared.
    func quotedName(_ number: Int32) -> UnsafeBufferPointer<UInt8>? {
        values.withUnsafeBufferPointer { values in
            for value in values where value.number == number { return value.quoted }
            return nil
        }
    }

    /// The number of the value named `name`.
    func number(named name: UnsafeRawBufferPointer) -> Int32? {
        values.withUnsafeBufferPointer { values in
            for value in values where value.name.count == name.count
                && (name.count == 0 || memcmp(value.name.baseAddress!, name.baseAddress!, name.count) == 0)
            {
                return value.number
            }
            return nil
        }
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

/// The well-known types whose JSON form is not an object of their fields.
enum WellKnownType: Sendable {
    case timestamp, duration, fieldMask, empty, any
    /// `google.protobuf.*Value`: the bare value of field 1.
    case wrapper

    init?(fullName: String) {
        switch fullName {
        case "google.protobuf.Timestamp": self = .timestamp
        case "google.protobuf.Duration": self = .duration
        case "google.protobuf.FieldMask": self = .fieldMask
        case "google.protobuf.Empty": self = .empty
        case "google.protobuf.Any": self = .any
        case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
            "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
            "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue":
            self = .wrapper
        default: return nil
        }
    }
}

/// Every field's lowerCamelCase and proto names in one buffer, searched without reference counting.
struct FieldNameTable: Sendable {
    /// The names, back to back.
    private let bytes: [UInt8]
    /// Per field: where its JSON name and its proto name start and how long they are.
    private let entries: [(jsonStart: Int32, jsonCount: Int32, protoStart: Int32, protoCount: Int32)]

    init(_ protoNames: [[UInt8]]) {
        var bytes: [UInt8] = []
        var entries: [(Int32, Int32, Int32, Int32)] = []
        for protoName in protoNames {
            let json = FieldSchema.lowerCamelCase(protoName)
            let jsonStart = Int32(bytes.count)
            bytes += json
            let protoStart = Int32(bytes.count)
            bytes += protoName
            entries.append((jsonStart, Int32(json.count), protoStart, Int32(protoName.count)))
        }
        self.bytes = bytes
        self.entries = entries
    }

    func find(_ name: UnsafeRawBufferPointer, hint: Int) -> Int? {
        let count = entries.count
        guard count > 0 else { return nil }
        return bytes.withUnsafeBytes { bytes in
            entries.withUnsafeBufferPointer { entries in
                let start = hint < count ? hint : 0
                var index = start
                repeat {
                    let entry = entries[index]
                    if Int(entry.jsonCount) == name.count,
                        name.count == 0 || memcmp(bytes.baseAddress! + Int(entry.jsonStart), name.baseAddress!, name.count) == 0
                    {
                        return index
                    }
                    if Int(entry.protoCount) == name.count,
                        name.count == 0 || memcmp(bytes.baseAddress! + Int(entry.protoStart), name.baseAddress!, name.count) == 0
                    {
                        return index
                    }
                    index += 1
                    if index == count { index = 0 }
                } while index != start
                return nil
            }
        }
    }
}
