/// One value of a result row in binary format, with the column's name and type for decoding and errors.
public struct PostgresCell: Sendable {
    /// The value's bytes, or nil for SQL NULL.
    public let bytes: ArraySlice<UInt8>?
    /// The column's type.
    public let dataType: PostgresDataType
    /// The column's name (a schema name or alias, safe to put in errors).
    public let columnName: String

    /// Creates a cell.
    public init(bytes: ArraySlice<UInt8>?, dataType: PostgresDataType, columnName: String) {
        self.bytes = bytes
        self.dataType = dataType
        self.columnName = columnName
    }

    /// The non-NULL bytes; decoders call this after `PostgresDecodable.decode(from:)` checked for NULL.
    var value: ArraySlice<UInt8> { bytes ?? [] }

    /// A `42804` error saying the column's type cannot be read as `type`.
    func mismatch(_ type: Any.Type) -> PostgresError {
        PostgresError(code: .datatypeMismatch, message: "column \(columnName) of type \(dataType) cannot be decoded as \(type)")
    }

    /// A `08P01` error saying the value's bytes are malformed for the column's type.
    func malformed(_ type: Any.Type) -> PostgresError {
        PostgresError(code: .protocolViolation, message: "column \(columnName): malformed binary \(dataType) for \(type)")
    }
}
