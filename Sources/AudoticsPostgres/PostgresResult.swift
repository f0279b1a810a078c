/// The rows and outcome of one statement, every value in PostgreSQL's text format.
public struct PostgresResult: Sendable, Hashable {
    /// The result's column names, in order (empty for statements that return no rows).
    public var columns: [String]
    /// The rows; each has one entry per column, nil for SQL NULL.
    public var rows: [[String?]]
    /// The command tag, e.g. `SELECT 2`, `INSERT 0 1`, `UPDATE 3`.
    public var commandTag: String
    /// The number of rows the command affected or returned, when the command reports one.
    public var affectedRows: Int?

    /// Creates a result.
    public init(columns: [String], rows: [[String?]], commandTag: String, affectedRows: Int?) {
        self.columns = columns
        self.rows = rows
        self.commandTag = commandTag
        self.affectedRows = affectedRows
    }

    /// The value of column `name` in row `row`, nil for NULL or an unknown column.
    public func value(row: Int, column name: String) -> String? {
        guard let index = columns.firstIndex(of: name) else { return nil }
        return rows[row][index]
    }
}
