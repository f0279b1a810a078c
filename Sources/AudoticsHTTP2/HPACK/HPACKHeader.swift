/// One header field as HPACK carries it: a name, a value and whether intermediaries may index it.
///
/// Names and values are UTF-8 strings; bytes that are not valid UTF-8 decode with replacement
/// characters (HTTP/2 field values are visible ASCII in practice; binary gRPC metadata is base64).
public struct HPACKHeader: Sendable, Hashable, CustomStringConvertible {
    /// The field name; HTTP/2 requires lowercase (this type does not enforce it).
    public var name: String
    /// The field value.
    public var value: String
    /// Whether the field must never enter a compression table (HPACK "never indexed"), for secrets such
    /// as `authorization` or `cookie`, protecting them from compression side channels (RFC 7541 §7.1.3).
    public var isSensitive: Bool

    /// Creates a header field.
    public init(name: String, value: String, isSensitive: Bool = false) {
        self.name = name
        self.value = value
        self.isSensitive = isSensitive
    }

    /// The field's size as RFC 7541 §4.1 and RFC 7540 §6.5.2 count it: name and value bytes plus 32.
    public var size: Int { name.utf8.count + value.utf8.count + 32 }

    /// `name: value`, with the value replaced by `<redacted>` when the field is sensitive.
    public var description: String { "\(name): \(isSensitive ? "<redacted>" : value)" }
}
