/// A transaction isolation level.
public enum PostgresIsolationLevel: String, Sendable, Hashable, CaseIterable {
    /// `READ COMMITTED`, PostgreSQL's default.
    case readCommitted = "READ COMMITTED"
    /// `REPEATABLE READ`: one snapshot for the whole transaction; conflicting writes fail with `40001`.
    case repeatableRead = "REPEATABLE READ"
    /// `SERIALIZABLE`: as if transactions ran one after another; anomalies fail with `40001`.
    case serializable = "SERIALIZABLE"
}
