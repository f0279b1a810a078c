import AudoticsProtobuf
import Glibc

extension MessageWriter {
    /// A Timestamp's or Duration's fields 1 and 2.
    static func secondsAndNanos(_ message: UnsafeRawPointer, _ schema: MessageSchema) -> (Int64, Int32) {
        (message.load(fromByteOffset: schema.fields[0].offset, as: Int64.self),
         message.load(fromByteOffset: schema.fields[1].offset, as: Int32.self))
    }

    /// `"a.fooBar,b"`: the paths in lowerCamelCase, joined by commas.
    mutating func writeFieldMask(_ message: UnsafeRawPointer, _ schema: MessageSchema) throws(MappingFailure) {
        let paths = schema.fields[0]
        let count = message.load(fromByteOffset: paths.quantifierOffset, as: Int.self)
        let strings = message.load(fromByteOffset: paths.offset, as: UnsafePointer<UnsafePointer<UInt8>?>?.self)
        out.append(UInt8(ascii: "\""))
        for index in 0..<count {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            guard let path = strings?[index] else { continue }
            var upperNext = false
            for byte in UnsafeBufferPointer(start: path, count: strlen(path)) {
                if byte == UInt8(ascii: "_") {
                    guard !upperNext else { throw FieldMaskText.invalidPath }
                    upperNext = true
                } else if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                    throw FieldMaskText.invalidPath
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 {
                    throw FieldMaskText.invalidPath
                } else if upperNext {
                    guard byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") else { throw FieldMaskText.invalidPath }
                    out.append(byte - 32)
                    upperNext = false
                } else {
                    out.append(byte)
                }
            }
            if upperNext { throw FieldMaskText.invalidPath }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `{"@type": url, ...fields}`, or `{"@type": url, "value": ...}` for a well-known type.
    mutating func writeAny(_ message: UnsafeRawPointer, _ schema: MessageSchema, depth: Int) throws(MappingFailure) {
        let urlPointer = message.load(fromByteOffset: schema.fields[0].offset, as: UnsafePointer<UInt8>?.self)
        let valueStorage = message + schema.fields[1].offset
        let valueCount = valueStorage.load(as: Int.self)
        let valueData = valueStorage.load(fromByteOffset: 8, as: UnsafeRawPointer?.self)
        let url = urlPointer.map { UnsafeBufferPointer(start: $0, count: strlen($0)) } ?? UnsafeBufferPointer(start: nil, count: 0)
        if url.isEmpty {
            guard valueCount == 0 else { throw MappingFailure(.invalidValue, "an Any with a value has no type URL") }
            return out.append("{}")
        }
        let urlString = String(decoding: url, as: UTF8.self)
        guard let descriptor = registry.descriptor(forTypeURL: urlString) else {
            throw MappingFailure(.unknownType, "the type of an Any is not in the type registry: \(urlString)")
        }
        let bytes = UnsafeRawBufferPointer(start: valueCount > 0 ? valueData : nil, count: valueData == nil ? 0 : valueCount)
        guard let inner = arena.unpackMessage(descriptor, bytes) else {
            throw MappingFailure(.malformedProtobuf, "the value of an Any is not a valid \(descriptor.fullName)")
        }
        let innerSchema = MessageSchema.of(descriptor)
        out.append("{\"@type\":")
        try writeString(urlPointer)
        if let known = innerSchema.wellKnown, known != .empty {
            out.append(",\"value\":")
            try writeMessage(inner, innerSchema, depth: depth + 1)
        } else {
            var first = false
            try writeFields(inner, innerSchema, first: &first, depth: depth + 1)
        }
        out.append(UInt8(ascii: "}"))
    }
}

/// The failure for a FieldMask path that has no lowerCamelCase form.
enum FieldMaskText {
    static let invalidPath = MappingFailure(
        .invalidValue, "a FieldMask path must be lower_snake_case to have a lowerCamelCase JSON form")
}
