import AudoticsProtobuf
import Glibc

/// Writes a C message that protobuf-c unpacked as proto3 JSON, walking its fields through the schema.
struct MessageWriter {
    var out: JSONOutput
    let options: JSONEncodingOptions
    let registry: ProtoJSONTypeRegistry
    let arena: ProtobufCArena

    mutating func writeMessage(_ message: UnsafeRawPointer, _ schema: MessageSchema, depth: Int) throws(MappingFailure) {
        guard depth <= options.maxDepth else {
            throw MappingFailure(.depthLimitExceeded, "messages nest deeper than \(options.maxDepth) levels")
        }
        switch schema.wellKnown {
        case .timestamp?:
            let (seconds, nanos) = Self.secondsAndNanos(message, schema)
            try TimeText.writeTimestamp(seconds: seconds, nanos: nanos, to: &out)
        case .duration?:
            let (seconds, nanos) = Self.secondsAndNanos(message, schema)
            try TimeText.writeDuration(seconds: seconds, nanos: nanos, to: &out)
        case .fieldMask?:
            try writeFieldMask(message, schema)
        case .wrapper?:
            let value = schema.fields[0]
            try writeValue(message + value.offset, value, depth: depth)
        case .any?:
            try writeAny(message, schema, depth: depth)
        case .empty?, nil:
            out.append(UInt8(ascii: "{"))
            var first = true
            try writeFields(message, schema, first: &first, depth: depth)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Writes the members of a message's object (without braces), each preceded by `,` unless first.
    mutating func writeFields(_ message: UnsafeRawPointer, _ schema: MessageSchema, first: inout Bool, depth: Int) throws(MappingFailure) {
        for field in schema.fields {
            let f = field
            switch f.label {
            case .repeated:
                let count = message.load(fromByteOffset: f.quantifierOffset, as: Int.self)
                if count == 0, !options.emitDefaultValues { continue }
                writeKey(field, &first)
                let elements = message.load(fromByteOffset: f.offset, as: UnsafeRawPointer?.self)
                do throws(MappingFailure) {
                    if field.isMap {
                        try writeMap(elements, count: count, field, depth: depth)
                    } else {
                        try writeList(elements, count: count, field, depth: depth)
                    }
                } catch {
                    throw error.inField(field.jsonNameString)
                }
                continue
            case .none where f.isOneofMember:
                guard message.load(fromByteOffset: f.quantifierOffset, as: UInt32.self) == f.number else { continue }
            case .optional where f.kind != .message && f.kind != .string:
                guard message.load(fromByteOffset: f.quantifierOffset, as: Int32.self) != 0 else { continue }
            default:
                if f.kind == .message {
                    guard message.load(fromByteOffset: f.offset, as: UnsafeRawPointer?.self) != nil else { continue }
                } else if !options.emitDefaultValues, Self.isDefault(message + f.offset, f.kind) {
                    continue
                }
            }
            writeKey(field, &first)
            do throws(MappingFailure) {
                try writeValue(message + f.offset, field, depth: depth)
            } catch {
                throw error.inField(field.jsonNameString)
            }
        }
    }

    @inline(__always)
    private mutating func writeKey(_ field: FieldSchema, _ first: inout Bool) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(options.useProtoFieldNames ? field.protoKey : field.jsonKey)
    }

    /// Whether the value stored at `value` is the proto3 default (all bits zero, empty string or bytes).
    private static func isDefault(_ value: UnsafeRawPointer, _ kind: FieldKind) -> Bool {
        switch kind {
        case .int64, .sint64, .sfixed64, .uint64, .fixed64, .double: value.load(as: UInt64.self) == 0
        case .string: value.load(as: UnsafePointer<UInt8>?.self).map { $0.pointee == 0 } ?? true
        case .bytes: value.load(as: Int.self) == 0
        case .message: value.load(as: UnsafeRawPointer?.self) == nil
        default: value.load(as: UInt32.self) == 0
        }
    }

    /// The bytes one element of a repeated field of `kind` takes in protobuf-c's array.
    static func stride(_ kind: FieldKind) -> Int {
        switch kind {
        case .int64, .sint64, .sfixed64, .uint64, .fixed64, .double, .string, .message: 8
        case .bytes: 16
        default: 4
        }
    }

    /// Writes one value of `field`'s type stored at `value` (a field of a message or an array element).
    mutating func writeValue(_ value: UnsafeRawPointer, _ field: FieldSchema, depth: Int) throws(MappingFailure) {
        switch field.kind {
        case .int32, .sint32, .sfixed32: out.append(decimal: Int64(value.load(as: Int32.self)))
        case .uint32, .fixed32: out.append(decimal: UInt64(value.load(as: UInt32.self)))
        case .int64, .sint64, .sfixed64:
            out.append(UInt8(ascii: "\""))
            out.append(decimal: value.load(as: Int64.self))
            out.append(UInt8(ascii: "\""))
        case .uint64, .fixed64:
            out.append(UInt8(ascii: "\""))
            out.append(decimal: value.load(as: UInt64.self))
            out.append(UInt8(ascii: "\""))
        case .float: out.append(float: value.load(as: Float.self))
        case .double: out.append(double: value.load(as: Double.self))
        case .bool: out.append(value.load(as: Int32.self) != 0 ? "true" : "false")
        case .enumeration:
            let number = value.load(as: Int32.self)
            if let name = field.enumeration?.quotedName(number) { out.append(name) } else { out.append(decimal: Int64(number)) }
        case .string:
            try writeString(value.load(as: UnsafePointer<UInt8>?.self))
        case .bytes:
            let count = value.load(as: Int.self)
            let data = value.load(fromByteOffset: 8, as: UnsafePointer<UInt8>?.self)
            out.appendBase64(UnsafeBufferPointer(start: count > 0 ? data : nil, count: data == nil ? 0 : count))
        case .message:
            let schema = field.message!
            if let message = value.load(as: UnsafeRawPointer?.self) {
                try writeMessage(message, schema, depth: depth + 1)
            } else {
                // A map value or list element protobuf-c left unset reads as the default message.
                try writeMessage(arena.newMessage(schema.descriptor), schema, depth: depth + 1)
            }
        }
    }

    /// A NUL-terminated C string, validated as UTF-8 (protobuf-c does not) and escaped.
    private mutating func writeString(_ pointer: UnsafePointer<UInt8>?) throws(MappingFailure) {
        guard let pointer else { return out.append("\"\"") }
        let bytes = UnsafeBufferPointer(start: pointer, count: strlen(pointer))
        guard UTF8Validation.isValid(UnsafeRawBufferPointer(bytes)) else {
            throw MappingFailure(.malformedProtobuf, "the string is not valid UTF-8")
        }
        out.appendQuoted(bytes)
    }

    private mutating func writeList(_ elements: UnsafeRawPointer?, count: Int, _ field: FieldSchema, depth: Int) throws(MappingFailure) {
        out.append(UInt8(ascii: "["))
        if let elements {
            let stride = Self.stride(field.kind)
            for index in 0..<count {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                do throws(MappingFailure) {
                    try writeValue(elements + index * stride, field, depth: depth)
                } catch {
                    throw error.atIndex(index)
                }
            }
        }
        out.append(UInt8(ascii: "]"))
    }

    /// A map as an object with string keys; when protobuf-c kept several entries with one key, the
    /// last wins, as it does when the map is decoded.
    private mutating func writeMap(_ elements: UnsafeRawPointer?, count: Int, _ field: FieldSchema, depth: Int) throws(MappingFailure) {
        out.append(UInt8(ascii: "{"))
        defer { out.append(UInt8(ascii: "}")) }
        guard let elements, count > 0 else { return }
        let entrySchema = field.message!
        let keyField = entrySchema.fields[0]
        let valueField = entrySchema.fields[1]
        var lastIndex: [[UInt8]: Int] = [:]
        if count > 1 {
            for index in 0..<count {
                guard let entry = elements.load(fromByteOffset: index * 8, as: UnsafeRawPointer?.self) else { continue }
                lastIndex[Self.keyIdentity(entry + keyField.offset, keyField.kind)] = index
            }
        }
        var first = true
        for index in 0..<count {
            guard let entry = elements.load(fromByteOffset: index * 8, as: UnsafeRawPointer?.self) else { continue }
            let key = entry + keyField.offset
            if count > 1, lastIndex[Self.keyIdentity(key, keyField.kind)] != index { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            switch keyField.kind {
            case .string:
                do throws(MappingFailure) { try writeString(key.load(as: UnsafePointer<UInt8>?.self)) } catch { throw error.atIndex(index) }
            case .bool:
                out.append(key.load(as: Int32.self) != 0 ? "\"true\"" : "\"false\"")
            default:
                out.append(UInt8(ascii: "\""))
                switch keyField.kind {
                case .int32, .sint32, .sfixed32: out.append(decimal: Int64(key.load(as: Int32.self)))
                case .uint32, .fixed32: out.append(decimal: UInt64(key.load(as: UInt32.self)))
                case .int64, .sint64, .sfixed64: out.append(decimal: key.load(as: Int64.self))
                default: out.append(decimal: key.load(as: UInt64.self))
                }
                out.append(UInt8(ascii: "\""))
            }
            out.append(UInt8(ascii: ":"))
            do throws(MappingFailure) {
                try writeValue(entry + valueField.offset, valueField, depth: depth)
            } catch {
                throw error.atIndex(index)
            }
        }
    }

    /// A map key's bytes, for finding repeated keys.
    private static func keyIdentity(_ key: UnsafeRawPointer, _ kind: FieldKind) -> [UInt8] {
        if kind == .string {
            guard let pointer = key.load(as: UnsafePointer<UInt8>?.self) else { return [] }
            return Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer)))
        }
        return Array(UnsafeRawBufferPointer(start: key, count: stride(kind)))
    }

    static func secondsAndNanos(_ message: UnsafeRawPointer, _ schema: MessageSchema) -> (Int64, Int32) {
        (message.load(fromByteOffset: schema.fields[0].offset, as: Int64.self),
         message.load(fromByteOffset: schema.fields[1].offset, as: Int32.self))
    }

    /// `"a.fooBar,b"`: the paths in lowerCamelCase, joined by commas.
    private mutating func writeFieldMask(_ message: UnsafeRawPointer, _ schema: MessageSchema) throws(MappingFailure) {
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
    private mutating func writeAny(_ message: UnsafeRawPointer, _ schema: MessageSchema, depth: Int) throws(MappingFailure) {
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

/// FieldMask path checks shared by the writer and the reader.
enum FieldMaskText {
    static let invalidPath = MappingFailure(
        .invalidValue, "a FieldMask path must be lower_snake_case to have a lowerCamelCase JSON form")
}
