import AudoticsProtobuf

extension MessageReader {
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
