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
    mutating func writeKey(_ field: FieldSchema, _ first: inout Bool) {
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
    mutating func writeString(_ pointer: UnsafePointer<UInt8>?) throws(MappingFailure) {
        guard let pointer else { return out.append("\"\"") }
        let bytes = UnsafeBufferPointer(start: pointer, count: strlen(pointer))
        guard UTF8Validation.isValid(UnsafeRawBufferPointer(bytes)) else {
            throw MappingFailure(.malformedProtobuf, "the string is not valid UTF-8")
        }
        out.appendQuoted(bytes)
    }
}
