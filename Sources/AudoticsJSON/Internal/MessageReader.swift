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

    // MARK: Lists and maps

    /// Reads a JSON array and appends its elements to a repeated field.
    mutating func readList(_ field: FieldSchema, into message: UnsafeMutableRawPointer) throws(MappingFailure) {
        guard try scanner.peek() == UInt8(ascii: "[") else { throw try mismatch("an array") }
        scanner.index += 1
        try scanner.enter()
        if try scanner.consume(UInt8(ascii: "]")) {
            scanner.depth -= 1
            return
        }
        var elements = GrowableArray(stride: MessageWriter.stride(field.kind), arena: arena)
        repeat {
            let index = elements.count
            do throws(MappingFailure) {
                if try scanner.peek() == UInt8(ascii: "n") {
                    throw MappingFailure(.invalidValue, "null is not allowed as a list element")
                }
                let slot = elements.appendSlot()
                if field.kind == .message {
                    let sub = arena.newMessage(field.message!.descriptor)
                    slot.storeBytes(of: sub, as: UnsafeMutableRawPointer.self)
                    try readMessage(into: sub, field.message!)
                } else {
                    try readScalar(field, into: slot)
                }
            } catch {
                throw error.atIndex(index)
            }
        } while try scanner.next(close: UInt8(ascii: "]"))
        FieldStorage.append(elements, to: field, in: message, arena: arena)
    }

    /// Reads a JSON object into a map field: keys are strings of the key type, values per the value type.
    mutating func readMap(_ field: FieldSchema, into message: UnsafeMutableRawPointer) throws(MappingFailure) {
        guard try scanner.peek() == UInt8(ascii: "{") else { throw try mismatch("an object (a map)") }
        scanner.index += 1
        guard var key = try scanner.firstKey() else { return }
        let entrySchema = field.message!
        let keyField = entrySchema.fields[0]
        let valueField = entrySchema.fields[1]
        var keys = Set<[UInt8]>()
        var entries = GrowableArray(stride: 8, arena: arena)
        while true {
            let entry = arena.newMessage(entrySchema.descriptor)
            do throws(MappingFailure) {
                guard keys.insert(Array(key)).inserted else { throw MappingFailure(.malformedJSON, "duplicate map key") }
                try TextValue(arena: arena).store(key, keyField, into: entry + keyField.offset, isMapKey: true)
                if try scanner.peek() == UInt8(ascii: "n") { throw MappingFailure(.invalidValue, "a map value cannot be null") }
                try readField(valueField, into: entry)
            } catch {
                throw error.inField("[\(MappingFailure.quote(key, limit: 64))]")
            }
            entries.appendSlot().storeBytes(of: entry, as: UnsafeMutableRawPointer.self)
            guard try scanner.next(close: UInt8(ascii: "}")) else { break }
            key = try scanner.key()
        }
        FieldStorage.append(entries, to: field, in: message, arena: arena)
    }

    // MARK: Any

    /// `{"@type": "type.googleapis.com/<name>", ...}`: finds `@type` wherever it is in the object,
    /// reads the rest as that type, and packs it into `value`.
    mutating func readAny(into message: UnsafeMutableRawPointer, _ schema: MessageSchema) throws(MappingFailure) {
        guard try scanner.peek() == UInt8(ascii: "{") else { throw try mismatch("an object (google.protobuf.Any)") }
        let start = scanner.index
        var typeURL: UnsafeRawBufferPointer?
        scanner.index += 1
        if var key = try scanner.firstKey() {
            while true {
                if key.elementsEqual("@type".utf8) {
                    guard typeURL == nil else { throw MappingFailure(.malformedJSON, "duplicate key \"@type\"") }
                    guard try scanner.peek() == UInt8(ascii: "\"") else { throw try mismatch("a type URL string").inField("@type") }
                    typeURL = try scanner.string()
                } else {
                    try scanner.skipValue()
                }
                guard try scanner.next(close: UInt8(ascii: "}")) else { break }
                key = try scanner.key()
            }
        }
        guard let typeURL else { throw MappingFailure(.invalidValue, "an Any object needs an \"@type\"") }
        let url = String(decoding: typeURL, as: UTF8.self)
        guard let descriptor = registry.descriptor(forTypeURL: url) else {
            throw MappingFailure(.unknownType, "the type of an Any is not in the type registry: \(MappingFailure.quote(typeURL, limit: 128))")
        }
        scanner.index = start
        let inner = arena.newMessage(descriptor)
        let innerSchema = MessageSchema.of(descriptor)
        if let known = innerSchema.wellKnown, known != .empty {
            // A well-known type inside an Any keeps its JSON form under "value".
            scanner.index += 1
            guard var key = try scanner.firstKey() else { preconditionFailure("the object has an @type") }
            var sawValue = false
            while true {
                if key.elementsEqual("@type".utf8) {
                    try scanner.skipValue()
                } else if key.elementsEqual("value".utf8) {
                    guard !sawValue else { throw MappingFailure(.malformedJSON, "duplicate key \"value\"") }
                    sawValue = true
                    do throws(MappingFailure) { try readMessage(into: inner, innerSchema) } catch { throw error.inField("value") }
                } else {
                    throw Self.unknownField(key, schema)
                }
                guard try scanner.next(close: UInt8(ascii: "}")) else { break }
                key = try scanner.key()
            }
            guard sawValue else { throw MappingFailure(.invalidValue, "an Any holding \(innerSchema.fullName) needs a \"value\"") }
        } else {
            try readObject(into: inner, innerSchema, skipTypeKey: true)
        }
        let packed = arena.packInArena(inner)
        let text = TextValue(arena: arena)
        try text.storeString(typeURL, into: message + schema.fields[0].offset)
        let value = message + schema.fields[1].offset
        value.storeBytes(of: packed.count, as: Int.self)
        value.storeBytes(of: packed.baseAddress, toByteOffset: 8, as: UnsafeMutableRawPointer?.self)
    }
}

/// Which fields of one JSON object were seen, by index in the schema.
struct SeenFields {
    private var low: UInt64 = 0
    private var high: Set<Int> = []

    /// Records `index`; `false` if it was recorded before.
    mutating func insert(_ index: Int) -> Bool {
        if index < 64 {
            let bit: UInt64 = 1 << UInt64(index)
            defer { low |= bit }
            return low & bit == 0
        }
        return high.insert(index).inserted
    }
}

/// An array of fixed-size elements built in the arena, doubling as it fills.
struct GrowableArray {
    let stride: Int
    let arena: ProtobufCArena
    private(set) var base: UnsafeMutableRawPointer
    private(set) var count = 0
    private var capacity = 8

    init(stride: Int, arena: ProtobufCArena) {
        self.stride = stride
        self.arena = arena
        base = arena.allocate(byteCount: 8 * stride)
    }

    /// Zeroed room for one more element.
    mutating func appendSlot() -> UnsafeMutableRawPointer {
        if count == capacity {
            let grown = arena.allocate(byteCount: capacity * 2 * stride)
            grown.copyMemory(from: base, byteCount: count * stride)
            base = grown
            capacity *= 2
        }
        let slot = base + count * stride
        slot.initializeMemory(as: UInt8.self, repeating: 0, count: stride)
        count += 1
        return slot
    }
}
