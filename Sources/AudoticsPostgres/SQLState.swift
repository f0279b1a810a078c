/// A PostgreSQL SQLSTATE error code (five characters; the first two are the class).
public struct SQLState: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The five-character code, e.g. `23505`.
    public let rawValue: String

    /// Wraps a five-character code.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The two-character class, e.g. `23` for integrity constraint violations.
    public var errorClass: String { String(rawValue.prefix(2)) }

    /// The code itself.
    public var description: String { rawValue }

    /// `08001`: the client could not establish a connection (also used for an invalid connection string).
    public static let unableToConnect = SQLState(rawValue: "08001")
    /// `08006`: the connection failed or was lost.
    public static let connectionFailure = SQLState(rawValue: "08006")
    /// `08P01`: the server or client broke the protocol, or returned something this wrapper cannot use.
    public static let protocolViolation = SQLState(rawValue: "08P01")
    /// `22P02`: a value's text is not valid for its type.
    public static let invalidTextRepresentation = SQLState(rawValue: "22P02")
    /// `23505`: a unique constraint was violated.
    public static let uniqueViolation = SQLState(rawValue: "23505")
    /// `23503`: a foreign key constraint was violated.
    public static let foreignKeyViolation = SQLState(rawValue: "23503")
    /// `40001`: a serializable transaction must be retried.
    public static let serializationFailure = SQLState(rawValue: "40001")
    /// `40P01`: a deadlock was detected; the transaction must be retried.
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    /// `42601`: the SQL has a syntax error.
    public static let syntaxError = SQLState(rawValue: "42601")
    /// `42P01`: the table does not exist.
    public static let undefinedTable = SQLState(rawValue: "42P01")
    /// `57014`: the statement was cancelled, e.g. by `statement_timeout`.
    public static let queryCanceled = SQLState(rawValue: "57014")
    /// `08003`: the connection does not exist (also: the pool was shut down).
    public static let connectionDoesNotExist = SQLState(rawValue: "08003")
    /// `22003`: a number does not fit the type it is read into.
    public static let numericValueOutOfRange = SQLState(rawValue: "22003")
    /// `22004`: SQL NULL was decoded into a non-optional type.
    public static let nullValueNotAllowed = SQLState(rawValue: "22004")
    /// `42703`: the column does not exist (also: a row has no column of that name or index).
    public static let undefinedColumn = SQLState(rawValue: "42703")
    /// `42804`: a value's type does not match, e.g. a `text` column decoded as `Int`.
    public static let datatypeMismatch = SQLState(rawValue: "42804")
    /// `53300`: too many connections; `PostgresPool` also uses it when no pooled connection frees up in time.
    public static let tooManyConnections = SQLState(rawValue: "53300")
    /// `25P02`: the transaction (or pipeline) already failed; statements are ignored until it ends.
    public static let inFailedTransaction = SQLState(rawValue: "25P02")
    /// `XX000`: an internal error, also used when the server gave no SQLSTATE.
    public static let internalError = SQLState(rawValue: "XX000")

    /// A short safe name for the condition: a well-known code's name, else its class's name.
    var conditionName: String {
        if let name = Self.names[rawValue] { return name }
        return Self.classNames[errorClass].map { "\($0) error" } ?? "database error"
    }

    private static let names: [String: String] = [
        "08001": "unable to connect", "08006": "connection failure", "08P01": "protocol violation",
        "22001": "string data right truncation", "22003": "numeric value out of range", "22007": "invalid datetime format",
        "22004": "null value not allowed", "22012": "division by zero", "22P02": "invalid text representation", "23502": "not null violation",
        "23503": "foreign key violation", "23505": "unique violation", "23514": "check violation",
        "25P02": "in failed sql transaction", "28P01": "invalid password", "3D000": "invalid catalog name",
        "40001": "serialization failure", "40P01": "deadlock detected", "42501": "insufficient privilege",
        "42601": "syntax error", "42703": "undefined column", "42883": "undefined function", "42P01": "undefined table", "42804": "datatype mismatch", "08003": "connection does not exist",
        "42P07": "duplicate table", "53300": "too many connections", "57014": "query canceled",
        "57P01": "admin shutdown",
    ]

    private static let classNames: [String: String] = [
        "08": "connection exception", "0A": "feature not supported", "21": "cardinality violation", "22": "data exception",
        "23": "integrity constraint violation", "25": "invalid transaction state", "28": "invalid authorization",
        "3D": "invalid catalog name", "3F": "invalid schema name", "40": "transaction rollback",
        "42": "syntax error or access rule violation", "53": "insufficient resources", "54": "program limit exceeded",
        "55": "object not in prerequisite state", "57": "operator intervention", "58": "system error", "XX": "internal",
    ]
}
