/// A map from HTTP/2 stream IDs to per-stream state, for the handful of lookups every stream makes on a
/// connection's hot path.
///
/// An open-addressing table with linear probing and backward-shift deletion (no tombstones), hashing the ID with
/// one multiplication instead of `Hasher`'s SipHash: stream IDs are chosen by the peer, but a table never holds
/// more than the connection's concurrent-stream limit and probing stays short whatever the IDs, because the
/// multiplicative hash spreads consecutive and strided IDs alike. Grows at 50% load, never shrinks below its
/// initial capacity. Inlinable, so that it is specialised for its value type in the modules that use it.
public struct StreamMap<Value> {
    @usableFromInline var keys: [Int32]
    @usableFromInline var values: [Value?]
    @usableFromInline var mask: Int
    @usableFromInline var entries = 0
    /// The number of entries.
    @inlinable public var count: Int { entries }

    /// Creates an empty map with room for `capacity` entries before it grows.
    @inlinable
    public init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: nil, count: size)
        mask = size - 1
    }

    /// Whether the map is empty.
    @inlinable
    public var isEmpty: Bool { count == 0 }

    @inlinable @inline(__always)
    func slot(for key: Int32) -> Int {
        // Fibonacci hashing: the high bits of key × 2^64/φ.
        let hash = UInt64(UInt32(bitPattern: key)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: hash >> 32) & mask
    }

    /// The value for `key`, or `nil`; setting `nil` removes the entry.
    @inlinable
    public subscript(key: Int32) -> Value? {
        get {
            var index = slot(for: key)
            while let value = values[index] {
                if keys[index] == key { return value }
                index = (index + 1) & mask
            }
            return nil
        }
        set {
            if let newValue {
                insert(newValue, for: key)
            } else {
                _ = removeValue(forKey: key)
            }
        }
    }

    @inlinable
    mutating func insert(_ value: Value, for key: Int32) {
        var index = slot(for: key)
        while values[index] != nil {
            if keys[index] == key {
                values[index] = value
                return
            }
            index = (index + 1) & mask
        }
        keys[index] = key
        values[index] = value
        entries += 1
        if entries * 2 > keys.count { grow() }
    }

    /// Removes the entry for `key` and returns its value, if there was one.
    @inlinable @discardableResult
    public mutating func removeValue(forKey key: Int32) -> Value? {
        var index = slot(for: key)
        while let value = values[index] {
            if keys[index] == key {
                values[index] = nil
                entries -= 1
                shiftBack(from: index)
                return value
            }
            index = (index + 1) & mask
        }
        return nil
    }

    /// Moves later entries of the probe run into the hole at `hole`, so lookups never stop early.
    @inlinable
    mutating func shiftBack(from hole: Int) {
        var hole = hole
        var index = (hole + 1) & mask
        while values[index] != nil {
            let home = slot(for: keys[index])
            // The entry may move into the hole if the hole lies between its home slot and its current one.
            let distanceToHole = (hole - home) & mask
            let distanceToIndex = (index - home) & mask
            if distanceToHole < distanceToIndex {
                keys[hole] = keys[index]
                values[hole] = values[index]
                values[index] = nil
                hole = index
            }
            index = (index + 1) & mask
        }
    }

    @usableFromInline
    mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: nil, count: oldKeys.count * 2)
        mask = keys.count - 1
        entries = 0
        for (key, value) in zip(oldKeys, oldValues) {
            if let value { insert(value, for: key) }
        }
    }

    /// The keys, in no particular order.
    @inlinable
    public var streamIDs: [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(count)
        for index in values.indices where values[index] != nil { result.append(keys[index]) }
        return result
    }

    /// The values, in no particular order.
    @inlinable
    public var allValues: [Value] {
        values.compactMap { $0 }
    }

    /// Removes every entry.
    @inlinable
    public mutating func removeAll() {
        for index in values.indices { values[index] = nil }
        entries = 0
    }
}

extension StreamMap: Sendable where Value: Sendable {}
