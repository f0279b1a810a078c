@testable import AudoticsCodeGen
import Testing

/// The JSON Schema of each kind of field, as the proto3 JSON mapping writes it.
@Suite("OpenAPI schemas of field kinds")
struct OpenAPISchemaTests {
    static let int32: JSONValue = ["type": "integer", "format": "int32", "minimum": -2_147_483_648, "maximum": 2_147_483_647]

    private func schemas() throws -> OpenAPISchemas {
        let request = SampleModel.request
        return OpenAPISchemas(registry: try TypeRegistry(request: request, options: try GeneratorOptions(parameter: request.parameter)))
    }

    private var song: MessageModel { SampleModel.sampleFile.messages[0] }

    private func field(_ name: String) -> FieldModel { song.fields.first { $0.name == name }! }

    @Test("scalars: 32-bit integers as bounded integers, 64-bit ones as decimal strings, bytes as base64", arguments: [
        (FieldModel.FieldType.int32, int32), (.sint32, int32), (.sfixed32, int32),
        (.uint32, ["type": "integer", "format": "int64", "minimum": 0, "maximum": 4_294_967_295]),
        (.fixed32, ["type": "integer", "format": "int64", "minimum": 0, "maximum": 4_294_967_295]),
        (.int64, ["type": "string", "format": "int64", "pattern": "^-?[0-9]+$"]),
        (.sint64, ["type": "string", "format": "int64", "pattern": "^-?[0-9]+$"]),
        (.sfixed64, ["type": "string", "format": "int64", "pattern": "^-?[0-9]+$"]),
        (.uint64, ["type": "string", "format": "uint64", "pattern": "^[0-9]+$"]),
        (.fixed64, ["type": "string", "format": "uint64", "pattern": "^[0-9]+$"]),
        (.double, ["type": "number", "format": "double"]), (.float, ["type": "number", "format": "float"]),
        (.bool, ["type": "boolean"]), (.string, ["type": "string"]),
        (.bytes, ["type": "string", "format": "byte", "contentEncoding": "base64"]),
    ] as [(FieldModel.FieldType, JSONValue)])
    func scalars(type: FieldModel.FieldType, expected: JSONValue) {
        #expect(OpenAPISchemas.scalarSchema(type) == expected)
    }

    @Test("a field: its comment as description, its JSON name as the property name")
    func describedField() throws {
        var schemas = try schemas()
        #expect(try schemas.fieldSchema(field("song_id"), in: song) == ["type": "string", "description": "The song's ID."])
        let object = try schemas.messageSchema(song)
        #expect(object["description"] == "A song.")
        #expect(object["properties"]?.object?.keys.prefix(3) == ["songId", "plays", "liked"])
        #expect(object["properties"]?["releasedAt"] != nil && object["properties"]?["fileId"] != nil)
        #expect(object["required"] == nil)
    }

    @Test("repeated fields are arrays; repeated messages arrays of references")
    func repeated() throws {
        var schemas = try schemas()
        #expect(try schemas.valueSchema(field("tags")) == ["type": "array", "items": ["type": "string"]])
        #expect(try schemas.valueSchema(field("credits")) == ["type": "array", "items": ["$ref": "#/components/schemas/demo.v1.Song.Credit"]])
        #expect(try schemas.valueSchema(field("chunks")) == ["type": "array", "items": OpenAPISchemas.scalarSchema(.bytes)])
    }

    @Test("maps are objects of values; integer keys are decimal strings")
    func maps() throws {
        var schemas = try schemas()
        #expect(try schemas.valueSchema(field("counts")) == ["type": "object", "additionalProperties": Self.int32])
        #expect(OpenAPISchemas.mapKeyPattern(.int64) == "^-?[0-9]+$")
        #expect(OpenAPISchemas.mapKeyPattern(.uint32) == "^[0-9]+$")
        #expect(OpenAPISchemas.mapKeyPattern(.bool) == "^(true|false)$")
        #expect(OpenAPISchemas.mapKeyPattern(.string) == nil)
    }

    @Test("enums: a named component of value names, or any int32 (unknown values, and what parsers accept)")
    func enums() throws {
        var schemas = try schemas()
        #expect(try schemas.valueSchema(field("mood")) == ["$ref": "#/components/schemas/demo.v1.Mood"])
        #expect(try schemas.valueSchema(field("moods")) == ["type": "array", "items": ["$ref": "#/components/schemas/demo.v1.Mood"]])
        try schemas.resolvePending()
        let mood = try #require(schemas.components["demo.v1.Mood"])
        #expect(mood["anyOf"] == [["type": "string", "enum": ["MOOD_UNSPECIFIED", "MOOD_CALM", "MOOD_LOUD"]], Self.int32])
        #expect(mood["description"] == "- `MOOD_UNSPECIFIED`\n- `MOOD_CALM`\n- `MOOD_LOUD`: Loud.")
    }

    @Test("messages are references to components, produced with the messages they reference")
    func messages() throws {
        var schemas = try schemas()
        #expect(try schemas.schema(ofType: "demo.v1.Song") == ["$ref": "#/components/schemas/demo.v1.Song"])
        try schemas.resolvePending()
        #expect(Set(schemas.components.keys) == ["demo.v1.Song", "demo.v1.Song.Credit", "demo.v1.Mood"])
        #expect(schemas.components["demo.v1.Song.Credit"] == ["type": "object", "properties": ["name": ["type": "string"]]])
    }

    @Test("oneof members say so; a proto3 optional field is its value or null")
    func oneofs() throws {
        var schemas = try schemas()
        let url = try schemas.fieldSchema(field("url"), in: song)
        #expect(url["description"] == "Part of the oneof `source`: at most one of `url`, `fileId` is set.")
        var nullableInt32 = Self.int32.object!
        nullableInt32["type"] = ["integer", "null"]
        #expect(try schemas.fieldSchema(field("rating"), in: song) == .object(nullableInt32))
    }

    @Test("fields whose presence matters also accept null: proto3 optional fields and wrappers")
    func nullable() throws {
        var schemas = try schemas()
        let wrapped = FieldModel(name: "limit", number: 1, type: .message, typeName: "google.protobuf.StringValue")
        #expect(try schemas.valueSchema(wrapped) == ["type": ["string", "null"]])
        let optionalEnum = FieldModel(name: "mood", number: 2, type: .enum, typeName: "demo.v1.Mood", isProto3Optional: true)
        #expect(try schemas.valueSchema(optionalEnum) == ["anyOf": [["$ref": "#/components/schemas/demo.v1.Mood"], ["type": "null"]]])
        #expect(try schemas.valueSchema(field("liked")) == ["type": "boolean"])
    }

    @Test("well-known types take their JSON forms", arguments: [
        ("google.protobuf.Timestamp", ["type": "string", "format": "date-time"]),
        ("google.protobuf.Duration", ["type": "string", "pattern": #"^-?[0-9]+(\.[0-9]+)?s$"#]),
        ("google.protobuf.FieldMask", ["type": "string"]),
        ("google.protobuf.Empty", ["type": "object"]),
        ("google.protobuf.Int64Value", OpenAPISchemas.scalarSchema(.int64)),
        ("google.protobuf.UInt32Value", OpenAPISchemas.scalarSchema(.uint32)),
        ("google.protobuf.BoolValue", ["type": "boolean"]),
        ("google.protobuf.BytesValue", OpenAPISchemas.scalarSchema(.bytes)),
        ("google.protobuf.Struct", ["type": "object", "additionalProperties": true]),
        ("google.protobuf.Value", [:]),
    ] as [(String, JSONValue)])
    func wellKnown(name: String, expected: JSONValue) {
        #expect(WellKnownSchemas.schema(for: name) == expected)
    }

    @Test("Any is an object with its @type; google.rpc.Status holds code, message and Any details")
    func anyAndStatus() {
        let any = WellKnownSchemas.any
        #expect(any["required"] == ["@type"])
        #expect(any["additionalProperties"] == true)
        #expect(WellKnownSchemas.status["properties"]?["details"]?["items"] == any)
        #expect(WellKnownSchemas.status["properties"]?.object?.keys == ["code", "message", "details"])
    }

    @Test("a single stated character limit becomes maxLength", arguments: [
        (" The ID; required, at most 64 characters.\n", 64),
        (" The password: 10 to 128 characters, not equal to the email.\n", 128),
        (" The name, 1 to 50 characters; empty means the local part\n (cut to 50 characters).\n", 50),
        (" The limit: at most 10,000 characters.\n", 10_000),
    ])
    func characterLimits(comment: String, limit: Int) throws {
        #expect(ProtoComment(comment).characterLimit == limit)
        var schemas = try schemas()
        let field = FieldModel(name: "text", number: 1, type: .string, comment: comment)
        #expect(try schemas.valueSchema(field)["maxLength"] == .integer(Int64(limit)))
    }

    @Test("no maxLength from limits of several values, of counts, or from two different limits", arguments: [
        " Genres; at most 10, each at most 50 characters.\n",
        " The event's ID, as sent (cut to 64 characters).\n",
        " The tracks: 1 to 100 track IDs.\n",
        " At most 64 characters here, at most 32 characters there.\n",
    ])
    func noCharacterLimit(comment: String) {
        #expect(ProtoComment(comment).characterLimit == nil)
    }
}
