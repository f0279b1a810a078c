/// The proto3 JSON forms of the well-known types, written inline wherever they are used.
enum WellKnownSchemas {
    /// The inline schema of a well-known type, or nil for any other type.
    static func schema(for fullName: String) -> JSONValue? {
        switch fullName {
        case "google.protobuf.Timestamp":
            return ["type": "string", "format": "date-time"]
        case "google.protobuf.Duration":
            return ["type": "string", "pattern": #"^-?[0-9]+(\.[0-9]+)?s$"#]
        case "google.protobuf.FieldMask":
            return ["type": "string"]
        case "google.protobuf.Empty":
            return ["type": "object"]
        case "google.protobuf.Any":
            return any
        case "google.protobuf.Struct":
            return ["type": "object", "additionalProperties": true]
        case "google.protobuf.Value":
            return [:]
        case "google.protobuf.ListValue":
            return ["type": "array"]
        case "google.protobuf.NullValue":
            return ["type": "null"]
        case "google.protobuf.DoubleValue": return OpenAPISchemas.scalarSchema(.double)
        case "google.protobuf.FloatValue": return OpenAPISchemas.scalarSchema(.float)
        case "google.protobuf.Int64Value": return OpenAPISchemas.scalarSchema(.int64)
        case "google.protobuf.UInt64Value": return OpenAPISchemas.scalarSchema(.uint64)
        case "google.protobuf.Int32Value": return OpenAPISchemas.scalarSchema(.int32)
        case "google.protobuf.UInt32Value": return OpenAPISchemas.scalarSchema(.uint32)
        case "google.protobuf.BoolValue": return OpenAPISchemas.scalarSchema(.bool)
        case "google.protobuf.StringValue": return OpenAPISchemas.scalarSchema(.string)
        case "google.protobuf.BytesValue": return OpenAPISchemas.scalarSchema(.bytes)
        default: return nil
        }
    }

    /// Whether a field of this message type is a single value in JSON, so it can be a path or query
    /// parameter: Timestamp, Duration, FieldMask and the wrappers.
    static func isQueryValue(_ fullName: String) -> Bool {
        guard fullName.hasPrefix("google.protobuf.") else { return false }
        return [
            "Timestamp", "Duration", "FieldMask", "DoubleValue", "FloatValue", "Int64Value", "UInt64Value", "Int32Value",
            "UInt32Value", "BoolValue", "StringValue", "BytesValue",
        ].contains(String(fullName.dropFirst("google.protobuf.".count)))
    }

    /// Whether the type is one of the wrappers (`google.protobuf.Int32Value`, …), whose JSON form is
    /// the bare value or `null`.
    static func isWrapper(_ fullName: String) -> Bool {
        isQueryValue(fullName) && fullName.hasSuffix("Value")
    }

    /// `google.protobuf.Any`: the packed message's fields beside `@type`, its type URL.
    static let any: JSONValue = [
        "type": "object",
        "properties": ["@type": ["type": "string", "description": "The type URL, e.g. `type.googleapis.com/google.rpc.BadRequest`."]],
        "required": ["@type"],
        "additionalProperties": true,
    ]

    /// `google.rpc.Status`, the body of every error the JSON edge returns.
    static let status: JSONValue = [
        "type": "object",
        "description": "An error: the gRPC status code and message, with machine-readable details (google.rpc.BadRequest, RetryInfo, ErrorInfo, PreconditionFailure, …).",
        "properties": [
            "code": [
                "type": "integer", "format": "int32", "minimum": 0, "maximum": 16,
                "description": "The gRPC status code, e.g. 3 for INVALID_ARGUMENT.",
            ],
            "message": ["type": "string", "description": "A developer-facing message in English."],
            "details": ["type": "array", "items": any, "description": "Details, each a message with its `@type`."],
        ],
    ]
}
