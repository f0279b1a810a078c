/// One row of a `PostgresRows`, decoded column by column into typed values.
public struct PostgresRow: Sendable {
    let rows: PostgresRows
    /// The row's position in its result.
    public let index: Int

    /// The result's columns.
    public var columns: [PostgresColumn] { rows.columns }

    /// Decodes the column at `column` (0-based) as `Value`.
    ///
    /// Throws `42703` for a column that does not exist, `42804` for a type that cannot be read as `Value`,
    /// `22004` for NULL into a non-optional type.
    public func decode<Value: PostgresDecodable>(_: Value.Type = Value.self, column: Int) throws(PostgresError) -> Value {
        guard rows.columns.indices.contains(column) else {
            throw PostgresError(code: .undefinedColumn, message: "no column \(column) (the result has \(rows.columns.count))")
        }
        return try Value.decode(from: rows.cell(row: index, column: column))
    }

    /// Decodes the column named `column` as `Value`; see `decode(_:column:)` for the errors.
    public func decode<Value: PostgresDecodable>(_: Value.Type = Value.self, column: String) throws(PostgresError) -> Value {
        guard let position = rows.columnIndexes[column] else {
            throw PostgresError(code: .undefinedColumn, message: "no column named \(column) in the result")
        }
        return try Value.decode(from: rows.cell(row: index, column: position))
    }

    /// The raw cell at `column`, for types without a `PostgresDecodable` conformance.
    public func cell(_ column: Int) -> PostgresCell {
        rows.cell(row: index, column: column)
    }
}
