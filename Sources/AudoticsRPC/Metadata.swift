/// Request or response metadata: an ordered multimap of lower-case keys to text or binary values.
///
/// Keys ending in `-bin` carry binary values (base64 on the wire); all others carry ASCII text.
public struct Metadata: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// One metadata value.
    public enum Value: Hashable, Sendable, ExpressibleByStringLiteral {
        /// A printable ASCII value.
        case string(String)
        /// A binary value, for keys ending in `-bin`.
        case binary([UInt8])

        /// A text value from a literal.
        public init(stringLiteral value: String) { self = .string(value) }
    }

    private var entries: [(key: String, value: Value)] = []

    /// Creates empty metadata.
    public init() {}

    /// Creates metadata from key-value pairs.
    public init(dictionaryLiteral elements: (String, Value)...) {
        for (key, value) in elements { entries.append((Self.lowercased(key), value)) }
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// Makes room for `minimumCapacity` entries, so that adding them allocates once.
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        entries.reserveCapacity(minimumCapacity)
    }

    /// Appends a text value (the key is lower-cased).
    public mutating func addString(_ value: String, forKey key: String) {
        entries.append((Self.lowercased(key), .string(value)))
    }

    /// `key` lower-cased. Keys mostly are already, and are then kept as they are, without making a new string.
    static func lowercased(_ key: String) -> String {
        var key = key
        let isLowercase = key.withUTF8 { bytes in !bytes.contains { ($0 >= 0x41 && $0 <= 0x5A) || $0 >= 0x80 } }
        return isLowercase ? key : key.lowercased()
    }

    /// Appends a value whose key the caller already checked (lower-case, `-bin` for binary values).
    mutating func appendValidated(key: String, value: Value) {
        if entries.isEmpty { entries.reserveCapacity(4) }
        entries.append((key, value))
    }

    /// Appends a binary value; the key must end in `-bin`.
    public mutating func addBinary(_ value: [UInt8], forKey key: String) {
        let key = Self.lowercased(key)
        precondition(key.hasSuffix("-bin"), "binary metadata keys end in -bin")
        entries.append((key, .binary(value)))
    }

    /// Removes every value of a key.
    public mutating func removeAll(forKey key: String) {
        let key = Self.lowercased(key)
        entries.removeAll { $0.key == key }
    }

    /// The text values of a key, in order.
    public subscript(stringValues key: String) -> [String] {
        let key = Self.lowercased(key)
        return entries.compactMap { entry in
            guard entry.key == key, case .string(let value) = entry.value else { return nil }
            return value
        }
    }

    /// The binary values of a key, in order.
    public subscript(binaryValues key: String) -> [[UInt8]] {
        let key = Self.lowercased(key)
        return entries.compactMap { entry in
            guard entry.key == key, case .binary(let value) = entry.value else { return nil }
            return value
        }
    }

    /// The first text value of a key.
    public func first(_ key: String) -> String? {
        let key = Self.lowercased(key)
        for entry in entries where entry.key == key {
            if case .string(let value) = entry.value { return value }
        }
        return nil
    }

    public func makeIterator() -> some IteratorProtocol<(key: String, value: Value)> {
        entries.makeIterator()
    }

    public static func == (lhs: Metadata, rhs: Metadata) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            hasher.combine(entry.key)
            hasher.combine(entry.value)
        }
    }
}
