/// Why migrating failed. Messages name migrations and SQLSTATEs, never data.
public struct MigrationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// The underlying database error, when there is one.
    public var cause: String?

    /// Creates an error.
    public init(message: String, cause: String? = nil) {
        self.message = message
        self.cause = cause
    }

    public var description: String {
        cause.map { "\(message): \($0)" } ?? message
    }
}
