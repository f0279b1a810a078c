/// A Swift value that can be read from a result cell in PostgreSQL's binary format.
///
/// Decoding checks the column's type: a mismatch throws `42804` (datatype mismatch), and SQL NULL into a
/// non-optional type throws `22004` (null value not allowed). Optionals of decodable types read NULL as `nil`.
public protocol PostgresDecodable: Sendable {
    /// Decodes `cell`, which is never NULL here (`Optional` handles NULL before calling this).
    init(postgresCell cell: PostgresCell) throws(PostgresError)

    /// Decodes a possibly-NULL cell; the default throws `22004` for NULL.
    static func decode(from cell: PostgresCell) throws(PostgresError) -> Self
}

extension PostgresDecodable {
    /// Throws `22004` for NULL, else decodes the bytes.
    public static func decode(from cell: PostgresCell) throws(PostgresError) -> Self {
        guard cell.bytes != nil else {
            throw PostgresError(
                code: .nullValueNotAllowed,
                message: "column \(cell.columnName) is NULL, which \(Self.self) cannot hold (decode an optional)")
        }
        return try Self(postgresCell: cell)
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// Decodes a non-NULL cell as `Wrapped`.
    public init(postgresCell cell: PostgresCell) throws(PostgresError) {
        self = .some(try Wrapped(postgresCell: cell))
    }

    /// `nil` for NULL, else the decoded value.
    public static func decode(from cell: PostgresCell) throws(PostgresError) -> Self {
        guard cell.bytes != nil else { return nil }
        return try Wrapped.decode(from: cell)
    }
}
