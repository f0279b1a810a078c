/// How `ProtoJSON.encode` writes JSON.
public struct JSONEncodingOptions: Hashable, Sendable {
    /// Whether fields without presence that hold their default value (0, "", false, the first enum
    /// value, empty lists and maps) are written. Fields with presence (messages, oneof members,
    /// proto3 `optional`) are written exactly when set, as the proto3 JSON mapping specifies.
    public var emitDefaultValues: Bool
    /// Whether keys are the `.proto` field names (`page_size`) instead of lowerCamelCase (`pageSize`).
    public var useProtoFieldNames: Bool
    /// The deepest nesting of messages written (an `Any` inside a message inside an `Any` counts each).
    public var maxDepth: Int

    /// The gateway's choice: every field without presence written, lowerCamelCase names, 64 levels.
    public static let `default` = JSONEncodingOptions()

    /// Creates options.
    public init(emitDefaultValues: Bool = true, useProtoFieldNames: Bool = false, maxDepth: Int = 64) {
        self.emitDefaultValues = emitDefaultValues
        self.useProtoFieldNames = useProtoFieldNames
        self.maxDepth = maxDepth
    }
}

/// How JSON input is read into a message.
public struct JSONDecodingOptions: Hashable, Sendable {
    /// The deepest nesting of JSON objects and arrays accepted.
    public var maxDepth: Int

    /// 64 levels of nesting.
    public static let `default` = JSONDecodingOptions()

    /// Creates options.
    public init(maxDepth: Int = 64) {
        self.maxDepth = maxDepth
    }
}
