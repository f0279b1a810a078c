/// JSON Schemas (OpenAPI 3.1) of messages and fields, following the proto3 JSON mapping as the JSON
/// edge writes it: lowerCamelCase names, 64-bit integers as strings, enums as names, bytes as base64,
/// well-known types in their special forms.
///
/// Messages and enums of the API become named `components.schemas` (by full proto name) the first
/// time they are referenced; well-known types are written inline. No property is `required`: the
/// same schema describes requests (where every field may be left out) and responses (where the edge
/// leaves out unset message fields, oneof members and proto3 `optional` fields).
struct OpenAPISchemas {
    let registry: TypeRegistry
    /// The named schemas produced so far, by full proto name.
    private(set) var components: [String: JSONValue] = [:]
    private var pending: [String] = []

    init(registry: TypeRegistry) {
        self.registry = registry
    }

    /// The `$ref` of a named component.
    static func reference(_ fullName: String) -> JSONValue {
        ["$ref": .string("#/components/schemas/\(fullName)")]
    }

    /// The schema of a message or enum used by name: a well-known type inline, otherwise a reference
    /// to its component (which is produced by `resolvePending`).
    mutating func schema(ofType fullName: String) throws(CodeGenError) -> JSONValue {
        if let inline = WellKnownSchemas.schema(for: fullName) { return inline }
        _ = try registry.info(fullName)
        if components[fullName] == nil && !pending.contains(fullName) { pending.append(fullName) }
        return Self.reference(fullName)
    }

    /// Produces the components of every type referenced so far, and of the types they reference.
    mutating func resolvePending() throws(CodeGenError) {
        while let name = pending.first {
            pending.removeFirst()
            let info = try registry.info(name)
            if let enumModel = info.enumModel {
                components[name] = Self.enumSchema(enumModel)
            } else if let message = info.message {
                components[name] = .null  // Marks it as being built, so a reference to itself is not queued again.
                components[name] = .object(try messageSchema(message))
            }
        }
    }

    /// The schema of a message: an object with one property per field, by JSON name.
    mutating func messageSchema(_ message: MessageModel, excluding excluded: Set<String> = []) throws(CodeGenError) -> JSONObject {
        var schema: JSONObject = ["type": "object"]
        let comment = ProtoComment(message.comment)
        if !comment.isEmpty { schema["description"] = .string(comment.text) }
        var properties = JSONObject()
        for field in message.fields where !excluded.contains(field.name) {
            properties[Self.jsonName(field)] = try fieldSchema(field, in: message)
        }
        schema["properties"] = .object(properties)
        return schema
    }

    /// The schema of one field, with its comment (and oneof membership) as description.
    mutating func fieldSchema(_ field: FieldModel, in message: MessageModel) throws(CodeGenError) -> JSONValue {
        var schema = try valueSchema(field)
        var description = ProtoComment(field.comment).text
        if let index = field.oneofIndex, index < message.oneofs.count, !message.oneofs[index].isSynthetic {
            let members = message.fields.filter { $0.oneofIndex == index }.map { "`\(Self.jsonName($0))`" }
            let note = "Part of the oneof `\(message.oneofs[index].name)`: at most one of \(members.joined(separator: ", ")) is set."
            description = description.isEmpty ? note : description + "\n\n" + note
        }
        if !description.isEmpty, case .object(var object) = schema {
            object["description"] = .string(description)
            schema = .object(object)
        }
        return schema
    }

    /// The schema of a field's value: a map, an array or a single value.
    mutating func valueSchema(_ field: FieldModel) throws(CodeGenError) -> JSONValue {
        if field.label == .repeated, field.type == .message, let entry = registry.types[field.typeName]?.message, entry.isMapEntry {
            guard entry.fields.count == 2 else { throw CodeGenError("map entry \(entry.fullName) does not have two fields") }
            var schema: JSONObject = ["type": "object", "additionalProperties": try singularSchema(entry.fields[1])]
            if let pattern = Self.mapKeyPattern(entry.fields[0].type) {
                schema["propertyNames"] = ["pattern": .string(pattern)]
            }
            return .object(schema)
        }
        if field.label == .repeated {
            return ["type": "array", "items": try singularSchema(field)]
        }
        var schema = try singularSchema(field)
        if field.type == .string, let limit = ProtoComment(field.comment).characterLimit, case .object(var object) = schema {
            object["maxLength"] = .integer(Int64(limit))
            schema = .object(object)
        }
        if field.isProto3Optional || WellKnownSchemas.isWrapper(field.typeName) { schema = Self.nullable(schema) }
        return schema
    }

    /// The schema also accepting `null`: for fields whose presence matters (proto3 `optional`, wrappers),
    /// where `null` in a request means "absent". Responses leave such fields out instead.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var object) = schema else { return schema }
        if case .string(let type)? = object["type"] {
            object["type"] = [.string(type), "null"]
            return .object(object)
        }
        return ["anyOf": [schema, ["type": "null"]]]
    }

    /// The schema of one value of the field's type.
    mutating func singularSchema(_ field: FieldModel) throws(CodeGenError) -> JSONValue {
        switch field.type {
        case .message, .group, .enum: return try schema(ofType: field.typeName)
        default: return Self.scalarSchema(field.type)
        }
    }

    /// The proto3 JSON form of a scalar type.
    static func scalarSchema(_ type: FieldModel.FieldType) -> JSONValue {
        switch type {
        case .int32, .sint32, .sfixed32:
            return ["type": "integer", "format": "int32", "minimum": .integer(Int64(Int32.min)), "maximum": .integer(Int64(Int32.max))]
        case .uint32, .fixed32:
            return ["type": "integer", "format": "int64", "minimum": 0, "maximum": .integer(Int64(UInt32.max))]
        case .int64, .sint64, .sfixed64:
            return ["type": "string", "format": "int64", "pattern": "^-?[0-9]+$"]
        case .uint64, .fixed64:
            return ["type": "string", "format": "uint64", "pattern": "^[0-9]+$"]
        case .double: return ["type": "number", "format": "double"]
        case .float: return ["type": "number", "format": "float"]
        case .bool: return ["type": "boolean"]
        case .string: return ["type": "string"]
        case .bytes: return ["type": "string", "format": "byte", "contentEncoding": "base64"]
        case .message, .group, .enum: return [:]
        }
    }

    /// An enum: its value names (what the edge writes), or a number (what it writes for a value this
    /// contract does not know, and what parsers accept too).
    static func enumSchema(_ enumModel: EnumModel) -> JSONValue {
        var lines = ProtoComment(enumModel.comment).lines
        let values = enumModel.values.map { value -> String in
            let comment = ProtoComment(value.comment)
            return comment.isEmpty ? "- `\(value.name)`" : "- `\(value.name)`: " + comment.lines.joined(separator: " ")
        }
        if !lines.isEmpty { lines.append("") }
        lines += values
        return [
            "description": .string(lines.joined(separator: "\n")),
            "anyOf": [
                ["type": "string", "enum": .array(enumModel.values.map { .string($0.name) })],
                ["type": "integer", "format": "int32", "minimum": .integer(Int64(Int32.min)), "maximum": .integer(Int64(Int32.max))],
            ],
        ]
    }

    /// The pattern of JSON object keys for a map key type: keys are always strings, integers and bools
    /// written in decimal or as `true`/`false`.
    static func mapKeyPattern(_ type: FieldModel.FieldType) -> String? {
        switch type {
        case .int32, .sint32, .sfixed32, .int64, .sint64, .sfixed64: return "^-?[0-9]+$"
        case .uint32, .fixed32, .uint64, .fixed64: return "^[0-9]+$"
        case .bool: return "^(true|false)$"
        default: return nil
        }
    }

    /// The field's JSON name: protoc's `json_name`, else computed as protoc does (each `_` dropped and
    /// the letter after it upper-cased: `track_id` → `trackId`).
    static func jsonName(_ field: FieldModel) -> String {
        guard field.jsonName.isEmpty else { return field.jsonName }
        var result = ""
        var capitalizeNext = false
        for character in field.name {
            if character == "_" {
                capitalizeNext = true
            } else {
                result += capitalizeNext ? character.uppercased() : String(character)
                capitalizeNext = false
            }
        }
        return result
    }
}
