/// An element type whose Swift arrays bind and decode: `[UInt8]` as `bytea`, `[String]` as `text[]`, and
/// `[Int64]` and `[Int]` as `int8[]` (one-dimensional PostgreSQL arrays in binary format; NULL elements are
/// refused when decoding).
///
/// One protocol for all of them because Swift allows `Array` only one conformance to `PostgresEncodable`.
public protocol PostgresArrayElement: Sendable {
    /// The type an array of this element binds as.
    static var postgresArrayType: PostgresDataType { get }
    /// Appends the binary form of `elements`.
    static func encodeArray(_ elements: [Self], into buffer: inout [UInt8])
    /// Decodes a non-NULL array cell.
    static func decodeArray(from cell: PostgresCell) throws(PostgresError) -> [Self]
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    /// `bytea` for `[UInt8]`, else the element's array type.
    public static var postgresType: PostgresDataType { Element.postgresArrayType }

    /// The binary form: raw bytes for `bytea`, PostgreSQL's array format otherwise.
    public func encode(into buffer: inout [UInt8]) {
        Element.encodeArray(self, into: &buffer)
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    /// Decodes `bytea` into `[UInt8]`, or a one-dimensional array of the element type.
    public init(postgresCell cell: PostgresCell) throws(PostgresError) {
        self = try Element.decodeArray(from: cell)
    }
}

extension UInt8: PostgresArrayElement {
    /// `bytea`.
    public static var postgresArrayType: PostgresDataType { .bytea }

    /// The bytes as they are.
    public static func encodeArray(_ elements: [UInt8], into buffer: inout [UInt8]) {
        buffer.append(contentsOf: elements)
    }

    /// Reads `bytea`.
    public static func decodeArray(from cell: PostgresCell) throws(PostgresError) -> [UInt8] {
        guard cell.dataType == .bytea else { throw cell.mismatch([UInt8].self) }
        return Array(cell.value)
    }
}

extension String: PostgresArrayElement {
    /// `text[]`.
    public static var postgresArrayType: PostgresDataType { .textArray }

    /// A one-dimensional `text[]`.
    public static func encodeArray(_ elements: [String], into buffer: inout [UInt8]) {
        PostgresArrayCoding.encode(elements, elementType: .text, into: &buffer)
    }

    /// Reads `text[]` and `varchar[]`.
    public static func decodeArray(from cell: PostgresCell) throws(PostgresError) -> [String] {
        guard cell.dataType == .textArray || cell.dataType == .varcharArray else { throw cell.mismatch([String].self) }
        return try PostgresArrayCoding.decode(cell, as: String.self)
    }
}

extension Int64: PostgresArrayElement {
    /// `int8[]`.
    public static var postgresArrayType: PostgresDataType { .int8Array }

    /// A one-dimensional `int8[]`.
    public static func encodeArray(_ elements: [Int64], into buffer: inout [UInt8]) {
        PostgresArrayCoding.encode(elements, elementType: .int8, into: &buffer)
    }

    /// Reads `int8[]` and `int4[]`.
    public static func decodeArray(from cell: PostgresCell) throws(PostgresError) -> [Int64] {
        guard cell.dataType == .int8Array || cell.dataType == .int4Array else { throw cell.mismatch([Int64].self) }
        return try PostgresArrayCoding.decode(cell, as: Int64.self)
    }
}

extension Int: PostgresArrayElement {
    /// `int8[]`.
    public static var postgresArrayType: PostgresDataType { .int8Array }

    /// A one-dimensional `int8[]`.
    public static func encodeArray(_ elements: [Int], into buffer: inout [UInt8]) {
        PostgresArrayCoding.encode(elements, elementType: .int8, into: &buffer)
    }

    /// Reads `int8[]` and `int4[]`.
    public static func decodeArray(from cell: PostgresCell) throws(PostgresError) -> [Int] {
        try Int64.decodeArray(from: cell).map { Int($0) }
    }
}
