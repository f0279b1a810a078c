extension Array where Element == UInt8 {
    /// Appends an integer in network byte order, as PostgreSQL's binary formats use.
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}

extension ArraySlice where Element == UInt8 {
    /// Reads an integer in network byte order from the slice's first `T.bitWidth / 8` bytes (the caller checked the count).
    func readBigEndian<T: FixedWidthInteger>(_: T.Type) -> T {
        var value: T = 0
        for byte in prefix(T.bitWidth / 8) { value = value << 8 | T(byte) }
        return value
    }
}

/// A reader over a binary value that fails with `nil` when the bytes run out (for arrays).
struct BinaryReader {
    private(set) var remaining: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        remaining = bytes
    }

    /// The next `T.bitWidth / 8` bytes as a big-endian integer, or nil if too few remain.
    mutating func read<T: FixedWidthInteger>(_: T.Type) -> T? {
        let size = T.bitWidth / 8
        guard remaining.count >= size else { return nil }
        let value = remaining.readBigEndian(T.self)
        remaining = remaining.dropFirst(size)
        return value
    }

    /// The next `count` bytes, or nil if too few remain.
    mutating func read(count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, remaining.count >= count else { return nil }
        let value = remaining.prefix(count)
        remaining = remaining.dropFirst(count)
        return value
    }
}
