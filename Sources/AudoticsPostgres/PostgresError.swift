/// The one error type of `AudoticsPostgres`.
///
/// `code` is the SQLSTATE. `message` and `description` are built from the SQLSTATE and schema names
/// only: the server's own text can quote data values (`invalid input syntax for type integer: "…"`,
/// `Key (email)=(…) already exists`), so it is kept apart in `serverMessage` and `serverDetail`, which
/// must never be logged unredacted or returned to clients.
public struct PostgresError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The SQLSTATE, e.g. `42P01`; connection problems detected by the client use class `08`.
    public var code: SQLState
    /// A safe explanation: the condition's name and the schema objects involved, never data values.
    public var message: String
    /// The underlying error, if another error caused this one.
    public var cause: (any Error & Sendable)?
    /// The server's primary message, which may quote parameter or row values: debugging only.
    public var serverMessage: String?
    /// The server's detail line, which may quote row values: debugging only.
    public var serverDetail: String?
    /// The constraint the statement violated, if any (a schema name, safe to log).
    public var constraintName: String?
    /// The table involved, if the server reports one (a schema name, safe to log).
    public var tableName: String?
    /// The column involved, if the server reports one (a schema name, safe to log).
    public var columnName: String?

    /// Creates an error with a code, a safe message and an optional cause.
    public init(code: SQLState, message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// `PostgresError(<SQLSTATE>): <message>`, plus the cause when there is one; never the server's text.
    public var description: String {
        var text = "PostgresError(\(code.rawValue)): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }

    /// The same as `description`, so `debugPrint` and `String(reflecting:)` do not reveal the server's text either.
    public var debugDescription: String { description }

    /// Shows only the code, the message and the schema names to `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "code": code, "message": message, "constraintName": constraintName as Any,
            "tableName": tableName as Any, "columnName": columnName as Any,
        ])
    }

    /// Two errors are equal when their code and message are.
    public static func == (lhs: PostgresError, rhs: PostgresError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    /// Hashes the code and the message, matching `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}
