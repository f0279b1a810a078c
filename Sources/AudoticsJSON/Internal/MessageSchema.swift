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
    // @unchecked Sendable: `fields` and `isMapEntry` are assigned inside `MessageSchema.cache`'s
    // lock, before the schema is published to any other caller; afterwards nothing mutates them.
    let descriptor: ProtobufCDescriptor
    let fullName: String
    let wellKnown: WellKnownType?
    /// Both names of every field, for looking keys up without reference counting.
    let names: FieldNameTable
    /// Whether this is the entry type protoc synthesizes for a `map` field (key = 1, value = 2).
    var isMapEntry = false
    private(set) var fields: [FieldSchema] = []

    private init(descriptor: ProtobufCDescriptor) {
        self.descriptor = descriptor
        fullName = descriptor.fullName
        wellKnown = WellKnownType(fullName: fullName)
        names = FieldNameTable(descriptor.fields.map { Array($0.name.utf8) })
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
        schema.fields = descriptor.fields.map { field in
            let message = field.message.map { build($0, &cache) }
            return FieldSchema(field: field, message: message, parentName: schema.fullName)
        }
        return schema
    }
}

/// One field of a `MessageSchema`; a class so walking a message's fields retains one reference
/// per field rather than each of its arrays and strings.
final class FieldSchema: Sendable {
    let field: ProtobufCField
    /// The `.proto` name as UTF-8 bytes.
    let protoName: [UInt8]
    /// The lowerCamelCase JSON name as UTF-8 bytes.
    let jsonName: [UInt8]
    /// `"jsonName":` and `"proto_name":`, ready to write.
    let jsonKey: [UInt8]
    let protoKey: [UInt8]
    /// The message type of a message field (also of a map's entries).
    let message: MessageSchema?
    /// The enum type of an enum field.
    let enumeration: EnumSchema?
    /// Whether the field is a `map` (a repeated field of synthesized entries).
    let isMap: Bool

    // Copies of `field`'s parts, read on every value without copying (and retaining) `field`.
    let number: UInt32
    let label: ProtobufCField.Label
    let kind: ProtobufCField.Kind
    let offset: Int
    let quantifierOffset: Int
    let isOneofMember: Bool

    init(field: ProtobufCField, message: MessageSchema?, parentName: String) {
        self.field = field
        number = field.number
        label = field.label
        kind = field.kind
        offset = field.offset
        quantifierOffset = field.quantifierOffset
        isOneofMember = field.isOneofMember
        protoName = Array(field.name.utf8)
        jsonName = Self.lowerCamelCase(protoName)
        jsonKey = [UInt8(ascii: "\"")] + jsonName + [UInt8(ascii: "\""), UInt8(ascii: ":")]
        protoKey = [UInt8(ascii: "\"")] + protoName + [UInt8(ascii: "\""), UInt8(ascii: ":")]
        self.message = message
        enumeration = field.enumeration.map(EnumSchema.of)
        // protoc names a map's entry type `<FieldInCamelCase>Entry`, nested in the message, with
        // fields key = 1 and value = 2; protobuf-c 1.4 keeps no `map_entry` flag to say so.
        if field.label == .repeated, let message {
            var upper = Self.lowerCamelCase(protoName)
            if let first = upper.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") { upper[0] = first - 32 }
            let expected = parentName + "." + String(decoding: upper, as: UTF8.self) + "Entry"
            let entryFields = message.descriptor.fields
            isMap = message.fullName == expected && entryFields.count == 2 && entryFields[0].number == 1
                && entryFields[1].number == 2 && entryFields[0].label == .none && entryFields[1].label == .none
            if isMap { message.isMapEntry = true }
        } else {
            isMap = false
        }
    }

    var isRepeated: Bool { label == .repeated }
    var name: String { field.name }
    /// The lowerCamelCase name as a `String`, for error messages.
    var jsonNameString: String { String(decoding: jsonName, as: UTF8.self) }

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
struct EnumSchema: Sendable {
    let fullName: String
    /// Names as UTF-8 bytes and numbers, in declaration order.
    let values: [(name: [UInt8], number: Int32)]
    /// `"NAME"` per declared value (the first name of a number wins, as protoc does for aliases).
    private let quotedByNumber: [Int32: [UInt8]]

    static func of(_ descriptor: ProtobufCEnumDescriptor) -> EnumSchema {
        EnumSchema(descriptor)
    }

    private init(_ descriptor: ProtobufCEnumDescriptor) {
        fullName = descriptor.fullName
        values = descriptor.values.map { (Array($0.name.utf8), $0.number) }
        var quoted: [Int32: [UInt8]] = [:]
        for value in values where quoted[value.number] == nil {
            quoted[value.number] = [UInt8(ascii: "\"")] + value.name + [UInt8(ascii: "\"")]
        }
        quotedByNumber = quoted
    }

    /// The quoted name of `number`, `nil` when the number is not declared.
    func quotedName(_ number: Int32) -> [UInt8]? { quotedByNumber[number] }

    /// The number of the value named `name`.
    func number(named name: UnsafeRawBufferPointer) -> Int32? {
        values.first { $0.name.elementsEqual(name) }?.number
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
