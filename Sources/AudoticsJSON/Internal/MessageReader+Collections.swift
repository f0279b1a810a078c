import AudoticsProtobuf

extension MessageReader {
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
}
