/// The Swift type of a field and the code that moves it between Swift and the protoc-c struct.
struct FieldCodec {
    let registry: TypeRegistry

    /// The Swift type of a single value of the field (ignoring `repeated` and presence).
    func valueType(_ field: FieldModel) throws(CodeGenError) -> String {
        switch field.type {
        case .int32, .sint32, .sfixed32: return "Int32"
        case .int64, .sint64, .sfixed64: return "Int64"
        case .uint32, .fixed32: return "UInt32"
        case .uint64, .fixed64: return "UInt64"
        case .float: return "Float"
        case .double: return "Double"
        case .bool: return "Bool"
        case .string: return "String"
        case .bytes: return "[UInt8]"
        case .enum, .message: return try registry.swiftReference(field.typeName)
        case .group: throw CodeGenError("groups are not supported (field \(field.name))")
        }
    }

    /// The map entry of a `map<K, V>` field, or `nil` for other fields.
    func mapEntry(_ field: FieldModel) -> MessageModel? {
        guard field.label == .repeated, field.type == .message,
            let message = registry.types[field.typeName]?.message, message.isMapEntry
        else { return nil }
        return message
    }

    /// The declared Swift type of the stored property (for fields outside real oneofs).
    func propertyType(_ field: FieldModel) throws(CodeGenError) -> String {
        if let entry = mapEntry(field) {
            return "[\(try valueType(entry.fields[0])): \(try valueType(entry.fields[1]))]"
        }
        if field.label == .repeated { return "[\(try valueType(field))]" }
        if field.type == .message || field.isProto3Optional { return "\(try valueType(field))?" }
        return try valueType(field)
    }

    /// The default value of a non-optional single value.
    func defaultValue(_ field: FieldModel) throws(CodeGenError) -> String {
        switch field.type {
        case .bool: return "false"
        case .string: return "\"\""
        case .bytes: return "[]"
        case .float, .double: return "0"
        case .enum: return "\(try valueType(field))(rawValue: 0)"
        case .message: return "\(try valueType(field))()"
        default: return "0"
        }
    }

    /// The default value of the stored property.
    func propertyDefault(_ field: FieldModel) throws(CodeGenError) -> String {
        if mapEntry(field) != nil { return "[:]" }
        if field.label == .repeated { return "[]" }
        if field.type == .message || field.isProto3Optional { return "nil" }
        return try defaultValue(field)
    }

    // MARK: Reading from C

    /// An expression reading one value of `field` from the C lvalue `c` (a struct member).
    func readValue(_ field: FieldModel, from c: String, messageName: String) throws(CodeGenError) -> String {
        switch field.type {
        case .bool: return "\(c) != 0"
        case .string: return "try _ProtobufC.string(\(c), field: \"\(field.name)\", message: \"\(messageName)\")"
        case .bytes: return "_ProtobufC.bytes(\(c).data, \(c).len)"
        case .enum: return "_ProtobufC.enumValue(\(c))"
        case .message:
            let type = try valueType(field)
            return "try _ProtobufC.message(\(c), as: \(type).self) ?? \(type)()"
        case .group: throw CodeGenError("groups are not supported")
        default: return c
        }
    }

    /// Statements reading a non-oneof field from the C struct value `c` into `self`.
    func readStatements(_ field: FieldModel, messageName: String) throws(CodeGenError) -> [String] {
        let property = "self." + SwiftNaming.propertyName(field.name)
        let member = "c.pointee." + ProtobufCNaming.fieldName(field.name)
        let count = "c.pointee.n_" + ProtobufCNaming.fieldName(field.name)
        if let entry = mapEntry(field) {
            let keyType = try valueType(entry.fields[0])
            let valueType = try valueType(entry.fields[1])
            return [
                "if \(count) > 0 {",
                "    var map = [\(keyType): \(valueType)](minimumCapacity: \(count))",
                "    for index in 0..<\(count) {",
                "        guard let entry = \(member)[index] else { continue }",
                "        map[\(try readValue(entry.fields[0], from: "entry.pointee.key", messageName: messageName))] = \(try readValue(entry.fields[1], from: "entry.pointee.value", messageName: messageName))",
                "    }",
                "    \(property) = map",
                "}",
            ]
        }
        if field.label == .repeated {
            switch field.type {
            case .bool: return ["\(property) = _ProtobufC.booleans(\(member), \(count))"]
            case .string:
                return ["\(property) = try _ProtobufC.strings(\(member), \(count), field: \"\(field.name)\", message: \"\(messageName)\")"]
            case .bytes: return ["\(property) = (0..<\(count)).map { _ProtobufC.bytes(\(member)[$0].data, \(member)[$0].len) }"]
            case .enum: return ["\(property) = _ProtobufC.enumValues(\(member), \(count))"]
            case .message: return ["\(property) = try _ProtobufC.messages(\(member), \(count), as: \(try valueType(field)).self)"]
            default: return ["\(property) = _ProtobufC.scalars(\(member), \(count))"]
            }
        }
        if field.type == .message {
            return ["\(property) = try _ProtobufC.message(\(member), as: \(try valueType(field)).self)"]
        }
        return ["\(property) = \(try readValue(field, from: member, messageName: messageName))"]
    }

    // MARK: Writing to C

    /// Statements storing the Swift value `value` of one element of `field` into the C lvalue `target`.
    func writeValue(_ field: FieldModel, value: String, to target: String, skipDefault: Bool) throws(CodeGenError) -> [String] {
        switch field.type {
        case .bool: return ["\(target) = \(value) ? 1 : 0"]
        case .string:
            let line = "\(target) = arena.cString(\(value))"
            return skipDefault ? ["if !\(value).isEmpty { \(line) }"] : [line]
        case .bytes:
            return ["if !\(value).isEmpty { \(target).data = arena.bytes(\(value)); \(target).len = \(value).count }"]
        case .enum: return ["\(target) = _ProtobufC.cEnum(\(value))"]
        case .message:
            let cType = try registry.info(field.typeName).cTypeName
            return ["\(target) = arena.message(\(value), as: \(cType).self)"]
        case .group: throw CodeGenError("groups are not supported")
        default: return ["\(target) = \(value)"]
        }
    }

    /// Statements writing a non-oneof field from `self` into the C struct pointer `c`.
    func writeStatements(_ field: FieldModel) throws(CodeGenError) -> [String] {
        let property = "self." + SwiftNaming.propertyName(field.name)
        let cName = ProtobufCNaming.fieldName(field.name)
        let member = "c.pointee." + cName
        let count = "c.pointee.n_" + cName
        if let entry = mapEntry(field) {
            let entryInfo = try registry.info(entry.fullName)
            var lines = [
                "if !\(property).isEmpty {",
                "    // Each entry is a two-field message: its tag and length, and both fields' tags and scalars.",
                "    arena.addEncodedBound(40 * \(property).count)",
                "    let entries = arena.allocate(\(entryInfo.cTypeName).self, count: \(property).count)",
                "    let pointers = arena.allocate(UnsafeMutablePointer<\(entryInfo.cTypeName)>?.self, count: \(property).count)",
                "    var index = 0",
                "    for (key, value) in \(property) {",
                "        let entry = entries + index",
                "        \(entryInfo.cLowerName)__init(entry)",
            ]
            lines += try writeValue(entry.fields[0], value: "key", to: "entry.pointee.key", skipDefault: false).map { "        " + $0 }
            lines += try writeValue(entry.fields[1], value: "value", to: "entry.pointee.value", skipDefault: false).map { "        " + $0 }
            lines += [
                "        pointers[index] = entry",
                "        index += 1",
                "    }",
                "    \(count) = \(property).count",
                "    \(member) = pointers",
                "}",
            ]
            return lines
        }
        if field.label == .repeated {
            let value: String
            switch field.type {
            case .bool: value = "arena.booleans(\(property))"
            case .string: value = "arena.cStrings(\(property))"
            case .enum:
                value = "arena.cEnums(\(property), as: \(try registry.info(field.typeName).cTypeName).self)"
            case .message:
                value = "arena.messages(\(property), as: \(try registry.info(field.typeName).cTypeName).self)"
            case .bytes:
                return [
                    "if !\(property).isEmpty {",
                    "    arena.addEncodedBound(10 * \(property).count)",
                    "    let items = arena.allocate(ProtobufCBinaryData.self, count: \(property).count)",
                    "    for (index, item) in \(property).enumerated() {",
                    "        items[index] = ProtobufCBinaryData(len: item.count, data: arena.bytes(item))",
                    "    }",
                    "    \(count) = \(property).count",
                    "    \(member) = items",
                    "}",
                ]
            default: value = "arena.copy(\(property))"
            }
            return ["if !\(property).isEmpty {", "    \(count) = \(property).count", "    \(member) = \(value)", "}"]
        }
        if field.type == .message {
            return ["if let value = \(property) {"]
                + (try writeValue(field, value: "value", to: member, skipDefault: false)).map { "    " + $0 } + ["}"]
        }
        return try writeValue(field, value: property, to: member, skipDefault: true)
    }
}
