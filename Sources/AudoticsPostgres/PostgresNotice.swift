/// A notice or warning the server sent alongside a statement (`RAISE NOTICE`, "… does not exist, skipping").
///
/// `message` is the server's own text and can quote data: it is logged only at debug level.
public struct PostgresNotice: Sendable, Hashable {
    /// `NOTICE`, `WARNING`, `INFO`, `DEBUG` or `LOG`.
    public var severity: String
    /// The SQLSTATE, e.g. `00000` or `42P07`.
    public var code: SQLState
    /// The server's primary message (may contain data values).
    public var message: String

    /// Creates a notice.
    public init(severity: String, code: SQLState, message: String) {
        self.severity = severity
        self.code = code
        self.message = message
    }
}
