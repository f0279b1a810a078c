/// A field of a message.
public struct FieldModel: Hashable, Sendable {
    /// The field's cardinality.
    public enum Label: Hashable, Sendable {
        /// Singular (proto3 implicit presence, proto2 `optional`).
        case optional
        /// proto2 `required`.
        case required
        /// `repeated` (maps too).
        case repeated
    }

    /// The wire type family of the field, as `FieldDescriptorProto.Type` names it.
    public enum FieldType: Int, Hashable, Sendable {
        case double = 1, float, int64, uint64, int32, fixed64, fixed32, bool, string, group, message, bytes,
            uint32, `enum`, sfixed32, sfixed64, sint32, sint64
    }

    /// The name as written in the `.proto` file.
    public var name: String
    /// The field number.
    public var number: Int32
    /// The cardinality.
    public var label: Label
    /// The type family.
    public var type: FieldType
    /// For messages and enums, the fully qualified type name without a leading dot.
    public var typeName: String
    /// The index into the message's oneofs, when the field belongs to one.
    public var oneofIndex: Int?
    /// Whether the field is a proto3 `optional` (explicit presence).
    public var isProto3Optional: Bool
    /// The JSON name protoc computed (lowerCamelCase).
    public var jsonName: String
    /// The leading comment from the `.proto` source.
    public var comment: String

    /// Creates a field model.
    public init(
        name: String, number: Int32, label: Label = .optional, type: FieldType, typeName: String = "",
        oneofIndex: Int? = nil, isProto3Optional: Bool = false, jsonName: String = "", comment: String = ""
    ) {
        self.name = name
        self.number = number
        self.label = label
        self.type = type
        self.typeName = typeName
        self.oneofIndex = oneofIndex
        self.isProto3Optional = isProto3Optional
        self.jsonName = jsonName
        self.comment = comment
    }
}
