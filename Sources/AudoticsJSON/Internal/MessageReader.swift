import AudoticsProtobuf
import Glibc

/// Reads proto3 JSON into C messages built in an arena, merging into what they already hold:
/// singular fields are replaced, list elements and map entries appended (a later map entry with
/// the same key wins when protobuf-c's output is decoded).
struct MessageReader {
    var scanner: JSONScanner
    let arena: ProtobufCArena
    let registry: ProtoJSONTypeRegistry

    init(input: UnsafeRawBufferPointer, arena: ProtobufCArena, registry: ProtoJSONTypeRegistry, options: JSONDecodingOptions) {
        scanner = JSONScanner(input: input, maxDepth: options.maxDepth, arena: arena)
        self.arena = arena
        self.registry = registry
    }

    // MARK: Messages

    /// Reads a JSON value for a message of `schema` into `message`.
    mutating func readMessage(into message: UnsafeMutableRawPointer, _ schema: MessageSchema) throws(MappingFailure) {
        switch schema.wellKnown {
        case .timestamp?, .duration?, .fieldMask?:
            guard try scanner.peek() == UInt8(ascii: "\"") else { throw try mismatch("a string (\(schema.fullName))") }
            let text = try scanner.string()
            try TextValue(arena: arena).setWellKnown(schema, text: text, into: message)
        case .wrapper?:
            let value = schema.fields[0]
            if try scanner.peek() == UInt8(ascii: "n") { throw try mismatch("a value (\(schema.fullName))") }
            try readScalar(value, into: message + value.offset)
        case .any?:
            try readAny(into: message, schema)
        case .empty?, nil:
            try readObject(into: message, schema, skipTypeKey: false)
        }
    }

    /// Reads a JSON object's members into the fields of `message`.
    mutating func readObject(into message: UnsafeMutableRawPointer, _ schema: MessageSchema, skipTypeKey: Bool) throws(MappingFailure) {
        guard try scanner.peek() == UInt8(ascii: "{") else { throw try mismatch("an object (\(schema.fullName))") }
        scanner.index += 1
        guard var key = try scanner.firstKey() else { return }
        var seen = SeenFields()
        var oneofs: [(offset: Int, index: Int)] = []
        var sawType = false
        var hint = 0
        let fields = schema.fields
        while true {
            if skipTypeKey, key.elementsEqual("@type".utf8) {
                guard !sawType else { throw MappingFailure(.malformedJSON, "duplicate key \"@type\"") }
                sawType = true
                try scanner.skipValue()
            } else {
                guard let index = schema.fieldIndex(named: key, hint: hint) else { throw Self.unknownField(key, schema) }
                hint = index + 1
                let field = fields[index]
                guard seen.insert(index) else {
                    throw MappingFailure(.malformedJSON, "the field is given twice (duplicate key or both name styles)").inField(field.jsonNameString)
                }
                if field.isOneofMember, try scanner.peek() != UInt8(ascii: "n") {
                    if let other = oneofs.first(where: { $0.offset == field.quantifierOffset }) {
                        let first = fields[other.index].jsonNameString
                        throw MappingFailure(.invalidValue, "\"\(first)\" and \"\(field.jsonNameString)\" are members of one oneof; set at most one")
                    }
                    oneofs.append((field.quantifierOffset, index))
                }
                do throws(MappingFailure) {
                    try readField(field, into: message)
                } catch {
                    throw error.inField(field.jsonNameString)
                }
            }
            guard try scanner.next(close: UInt8(ascii: "}")) else { return }
            key = try scanner.key()
        }
    }

    static func unknownField(_ key: UnsafeRawBufferPointer, _ schema: MessageSchema) -> MappingFailure {
        var failure = MappingFailure(.unknownField, "unknown field \(MappingFailure.quote(key, limit: 64)) in \(schema.fullName)")
        failure.mentionsField = true
        return failure
    }

    /// Reads the value of one member into its field (the value after the key's colon).
    mutating func readField(_ field: FieldSchema, into message: UnsafeMutableRawPointer) throws(MappingFailure) {
        let f = field
        if try scanner.peek() == UInt8(ascii: "n") {
            try scanner.literal("null")
            FieldStorage.clear(field, in: message, arena: arena)
            return
        }
        if f.label == .repeated {
            if field.isMap { try readMap(field, into: message) } else { try readList(field, into: message) }
            return
        }
        if f.kind == .message {
            let sub = FieldStorage.singularMessage(field, in: message, arena: arena)
            try readMessage(into: sub, field.message!)
        } else {
            try readScalar(field, into: message + f.offset)
        }
        FieldStorage.markPresent(field, in: message)
    }

    // MARK: Scalars

    /// Reads a non-null JSON value of a scalar field into `storage`.
    mutating func readScalar(_ field: FieldSchema, into storage: UnsafeMutableRawPointer) throws(MappingFailure) {
        let byte = try scanner.peek()
        let text = TextValue(arena: arena)
        switch field.kind {
        case .string:
            guard byte == UInt8(ascii: "\"") else { throw try mismatch("a string") }
            try text.storeString(try scanner.string(), into: storage)
        case .bytes:
            guard byte == UInt8(ascii: "\"") else { throw try mismatch("a base64 string") }
            try text.storeBytes(try scanner.string(), into: storage)
        case .bool:
            if byte == UInt8(ascii: "t") {
                try scanner.literal("true")
                storage.storeBytes(of: 1, as: Int32.self)
            } else if byte == UInt8(ascii: "f") {
                try scanner.literal("false")
                storage.storeBytes(of: 0, as: Int32.self)
            } else {
                throw try mismatch("true or false")
            }
        case .enumeration:
            if byte == UInt8(ascii: "\"") {
                try text.storeEnum(try scanner.string(), field, into: storage)
            } else if byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) {
                try text.storeNumber(try scanner.number(), .enumeration, into: storage)
            } else {
                throw try mismatch("an enum name or number")
            }
        case .message:
            preconditionFailure("readScalar is not called for message fields")
        default:
            if byte == UInt8(ascii: "\"") {
                try text.storeNumber(try scanner.string(), field.kind, into: storage)
            } else if byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) {
                try text.storeNumber(try scanner.number(), field.kind, into: storage)
            } else {
                throw try mismatch(field.kind == .float || field.kind == .double ? "a number" : "an integer")
            }
        }
    }

    /// A failure for a value of the wrong JSON type; names the type found, never the value (or
    /// reports malformed JSON when no value starts here).
    func mismatch(_ expected: String) throws(MappingFailure) -> MappingFailure {
        var copy = scanner
        let found: String
        switch try copy.peek() {
        case UInt8(ascii: "{"): found = "an object"
        case UInt8(ascii: "["): found = "an array"
        case UInt8(ascii: "\""): found = "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): found = "a boolean"
        case UInt8(ascii: "n"): found = "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): found = "a number"
        default: return copy.malformed("expected a JSON value")
        }
        return MappingFailure(.invalidValue, "expected \(expected), got \(found)")
    }
}
