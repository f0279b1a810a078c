/// A Swift value that can be bound to a query parameter, in PostgreSQL's binary format.
///
/// Conforming types: `String`, `Int`, `Int32`, `Int64`, `Bool`, `Double`, `[UInt8]` (bytea), `Date`
/// (timestamptz), `UUID`, and arrays of `String` and `Int64`. Optionals of these bind `nil` as SQL NULL
/// (see `PostgresBindings.append(_:)`).
public protocol PostgresEncodable: Sendable {
    /// The parameter type declared to the server.
    static var postgresType: PostgresDataType { get }

    /// Appends the value's binary representation (without a length prefix) to `buffer`.
    func encode(into buffer: inout [UInt8])
}

extension String: PostgresEncodable {
    /// `text`.
    public static var postgresType: PostgresDataType { .text }

    /// The UTF-8 bytes.
    public func encode(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: utf8)
    }
}

extension Int64: PostgresEncodable {
    /// `int8`.
    public static var postgresType: PostgresDataType { .int8 }

    /// Eight bytes, big-endian.
    public func encode(into buffer: inout [UInt8]) {
        buffer.appendBigEndian(self)
    }
}

extension Int: PostgresEncodable {
    /// `int8`.
    public static var postgresType: PostgresDataType { .int8 }

    /// Eight bytes, big-endian.
    public func encode(into buffer: inout [UInt8]) {
        buffer.appendBigEndian(Int64(self))
    }
}

extension Int32: PostgresEncodable {
    /// `int4`.
    public static var postgresType: PostgresDataType { .int4 }

    /// Four bytes, big-endian.
    public func encode(into buffer: inout [UInt8]) {
        buffer.appendBigEndian(self)
    }
}

extension Bool: PostgresEncodable {
    /// `bool`.
    public static var postgresType: PostgresDataType { .bool }

    /// One byte, 1 or 0.
    public func encode(into buffer: inout [UInt8]) {
        buffer.append(self ? 1 : 0)
    }
}

extension Double: PostgresEncodable {
    /// `float8`.
    public static var postgresType: PostgresDataType { .float8 }

    /// The IEEE 754 bits, big-endian.
    public func encode(into buffer: inout [UInt8]) {
        buffer.appendBigEndian(bitPattern)
    }
}
