/// A SQL statement with its parameters bound separately: the only way to run SQL through `PostgresPool`.
///
/// Write queries as string literals; every interpolated value becomes a parameter (`$1`, `$2`, …) and never
/// enters the SQL text, so SQL injection is impossible by construction:
///
/// ```swift
/// let rows = try await pool.query("SELECT id, title FROM music.tracks WHERE artist = \(name) LIMIT \(limit)")
/// ```
///
/// A `String` held in a variable cannot become a query by accident: that takes `init(unsafeSQL:bindings:)`,
/// whose name says what the caller vouches for. `description` shows the SQL and the parameter types only.
public struct PostgresQuery: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The SQL text, with `$n` placeholders.
    public var sql: String
    /// The parameter values.
    public var bindings: PostgresBindings

    /// A query from SQL text the caller wrote (never text that came from input) and explicit bindings.
    public init(unsafeSQL sql: String, bindings: PostgresBindings = PostgresBindings()) {
        self.sql = sql
        self.bindings = bindings
    }

    /// A query from a literal without interpolations.
    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    /// A query from a literal whose interpolations became parameters.
    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, bindings: stringInterpolation.bindings)
    }

    /// The SQL and the parameter types; never the values.
    public var description: String { "\(sql) [\(bindings)]" }

    /// Builds the SQL text and the bindings as the literal is read.
    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var bindings = PostgresBindings()

        /// Reserves space for the literal parts.
        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        /// Appends SQL text written in the literal.
        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Binds `value` as the next parameter and appends its placeholder.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            bindings.append(value)
            sql += "$\(bindings.count)"
        }

        /// Binds `value`, or NULL for `nil`, as the next parameter and appends its placeholder.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            bindings.append(value)
            sql += "$\(bindings.count)"
        }

        /// Appends a fragment of SQL text fixed at compile time (a shared column list, say). Only a
        /// `StaticString` is accepted, so no runtime value can ever reach the SQL text this way.
        public mutating func appendInterpolation(unescaped fragment: StaticString) {
            sql += fragment.description
        }

        /// Appends an identifier (a schema, table or column name) double-quoted, with embedded quotes
        /// doubled and zero bytes dropped, so that it is always one identifier whatever it contains.
        public mutating func appendInterpolation(identifier: String) {
            let clean = identifier.replacingAll("\0", with: "")
            sql += "\"" + clean.replacingAll("\"", with: "\"\"") + "\""
        }
    }
}

extension String {
    /// The string with every `target` character replaced by `replacement` (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
