/// A JSON value whose objects keep their members in insertion order, so that a document built in a
/// fixed order is written byte for byte the same every time.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The object, if this is one.
    public var object: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The member `key` of an object; nil for a missing member or when this is not an object.
    public subscript(key: String) -> JSONValue? {
        object?[key]
    }
}

/// A JSON object: members in insertion order, each key once.
public struct JSONObject: Hashable, Sendable {
    /// One member.
    public struct Member: Hashable, Sendable {
        /// The key.
        public var key: String
        /// The value.
        public var value: JSONValue
    }

    /// The members in order.
    public private(set) var members: [Member] = []

    /// Creates an empty object.
    public init() {}

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The value of `key`; setting replaces it in place, appends a new key, or removes it (nil).
    public subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            let index = members.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): members[index].value = value
            case (let index?, nil): members.remove(at: index)
            case (nil, let value?): members.append(Member(key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    /// The object with its members sorted by key (byte order of the UTF-8 keys).
    public func sortedByKey() -> JSONObject {
        var sorted = self
        sorted.members.sort { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
        return sorted
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object from `[key: value]` literals, keeping their order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        for (key, value) in elements { self[key] = value }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

extension JSONValue {
    /// The value as indented JSON (two spaces a level, `": "` after keys), ending with a newline.
    ///
    /// Strings are written as UTF-8 with only `"`, `\` and control characters escaped.
    public func formatted() -> String {
        var out = ""
        write(into: &out, indentation: "")
        return out + "\n"
    }

    private func write(into out: inout String, indentation: String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .integer(let value): out += String(value)
        case .string(let value): Self.writeString(value, into: &out)
        case .array(let elements):
            guard !elements.isEmpty else {
                out += "[]"
                return
            }
            let inner = indentation + "  "
            out += "[\n"
            for (index, element) in elements.enumerated() {
                out += inner
                element.write(into: &out, indentation: inner)
                out += index == elements.count - 1 ? "\n" : ",\n"
            }
            out += indentation + "]"
        case .object(let object):
            guard !object.isEmpty else {
                out += "{}"
                return
            }
            let inner = indentation + "  "
            out += "{\n"
            for (index, member) in object.members.enumerated() {
                out += inner
                Self.writeString(member.key, into: &out)
                out += ": "
                member.value.write(into: &out, indentation: inner)
                out += index == object.members.count - 1 ? "\n" : ",\n"
            }
            out += indentation + "}"
        }
    }

    private static func writeString(_ value: String, into out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
