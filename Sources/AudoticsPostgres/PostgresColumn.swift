/// A result column: its name and type.
public struct PostgresColumn: Sendable, Hashable {
    /// The column's name or alias.
    public var name: String
    /// The column's type.
    public var dataType: PostgresDataType

    /// Creates a column.
    public init(name: String, dataType: PostgresDataType) {
        self.name = name
        self.dataType = dataType
    }
}
