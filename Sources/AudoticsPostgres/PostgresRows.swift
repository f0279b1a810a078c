/// The rows and outcome of one statement, copied out of libpq's result (binary format) so that they can
/// cross threads. Iterate it, or index it, to get `PostgresRow`s.
public struct PostgresRows: Sendable, RandomAccessCollection {
    /// The result's columns, in order (empty for statements that return no rows).
    public let columns: [PostgresColumn]
    /// The command tag, e.g. `SELECT 2`, `INSERT 0 1`, `UPDATE 3`.
    public let commandTag: String
    /// The number of rows the command affected or returned, when the command reports one.
    public let affectedRows: Int?

    /// Every cell's offset in `storage` and its length (-1 for NULL), row by row.
    let cells: [(offset: Int, length: Int)]
    /// Every non-NULL cell's bytes, back to back.
    let storage: [UInt8]
    /// Column indexes by name (the first column wins when names repeat).
    let columnIndexes: [String: Int]

    init(columns: [PostgresColumn], cells: [(offset: Int, length: Int)], storage: [UInt8], commandTag: String, affectedRows: Int?) {
        self.columns = columns
        self.cells = cells
        self.storage = storage
        self.commandTag = commandTag
        self.affectedRows = affectedRows
        self.columnIndexes = Dictionary(columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The first row index, 0.
    public var startIndex: Int { 0 }

    /// The number of rows.
    public var endIndex: Int { columns.isEmpty ? 0 : cells.count / columns.count }

    /// The row at `position`.
    public subscript(position: Int) -> PostgresRow {
        PostgresRow(rows: self, index: position)
    }

    /// The cell at a row and column.
    func cell(row: Int, column: Int) -> PostgresCell {
        let (offset, length) = cells[row * columns.count + column]
        let bytes = length < 0 ? nil : storage[offset..<offset + length]
        return PostgresCell(bytes: bytes, dataType: columns[column].dataType, columnName: columns[column].name)
    }
}
