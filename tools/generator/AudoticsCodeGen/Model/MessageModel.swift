/// A proto message with its fields, oneofs and nested types.
public struct MessageModel: Hashable, Sendable {
    /// The short name, for example `Track`.
    public var name: String
    /// The fully qualified name without a leading dot, for example `audotics.v1.Track`.
    public var fullName: String
    /// Fields in declaration order.
    public var fields: [FieldModel]
    /// Oneof declarations, indexed by `FieldModel.oneofIndex`.
    public var oneofs: [OneofModel]
    /// Nested messages (map entry types included).
    public var messages: [MessageModel]
    /// Nested enums.
    public var enums: [EnumModel]
    /// Whether this is a synthetic `map<K, V>` entry type.
    public var isMapEntry: Bool
    /// The leading comment from the `.proto` source.
    public var comment: String

    /// Creates a message model.
    public init(
        name: String, fullName: String, fields: [FieldModel] = [], oneofs: [OneofModel] = [],
        messages: [MessageModel] = [], enums: [EnumModel] = [], isMapEntry: Bool = false, comment: String = ""
    ) {
        self.name = name
        self.fullName = fullName
        self.fields = fields
        self.oneofs = oneofs
        self.messages = messages
        self.enums = enums
        self.isMapEntry = isMapEntry
        self.comment = comment
    }
}

/// A `oneof` declaration.
public struct OneofModel: Hashable, Sendable {
    /// The name as written in the `.proto` file.
    public var name: String
    /// Whether protoc made it up for a proto3 `optional` field.
    public var isSynthetic: Bool
    /// The leading comment from the `.proto` source.
    public var comment: String

    /// Creates a oneof model.
    public init(name: String, isSynthetic: Bool = false, comment: String = "") {
        self.name = name
        self.isSynthetic = isSynthetic
        self.comment = comment
    }
}
