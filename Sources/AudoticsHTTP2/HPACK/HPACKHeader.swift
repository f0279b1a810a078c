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
    /// Whether the field is worth a place in the peer's dynamic table; false for values that change with every
    /// message (see `changesEveryMessage`), which would only push out the fields that do repeat.
    public var isIndexable: Bool

    /// Creates a header field.
    public init(name: String, value: String, isSensitive: Bool = false, isIndexable: Bool = true) {
        self.name = name
        self.value = value
        self.isSensitive = isSensitive
        self.isIndexable = isIndexable
    }

    /// Whether the field goes out as a literal that no table keeps (sensitive, or not worth indexing).
    public var isNeverIndexed: Bool { isSensitive || !isIndexable }

    /// Whether a field named `name` (lowercase) usually carries a new value on every message: request IDs, trace
    /// context, deadlines, dates, rate-limit counters. Indexing those only churns the dynamic table.
    public static func changesEveryMessage(_ name: String) -> Bool {
        switch (name.utf8.count, name) {
        case (12, "grpc-timeout"), (12, "x-request-id"), (11, "traceparent"), (10, "tracestate"), (14, "grpc-trace-bin"),
            (4, "date"), (19, "ratelimit-remaining"), (15, "ratelimit-reset"), (9, "ratelimit"), (11, "retry-after"):
            return true
        default:
            return false
        }
    }

    /// The field's size as RFC 7541 §4.1 and RFC 7540 §6.5.2 count it: name and value bytes plus 32.
    public var size: Int { name.utf8.count + value.utf8.count + 32 }

    /// `name: value`, with the value replaced by `<redacted>` when the field is sensitive.
    public var description: String { "\(name): \(isSensitive ? "<redacted>" : value)" }
}
