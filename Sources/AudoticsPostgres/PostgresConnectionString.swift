internal import CLibPQ

/// A libpq connection string (`postgresql://user@host:5432/db?sslmode=require` or `host=… dbname=…`),
/// checked with `PQconninfoParse` before any connection attempt.
///
/// Errors and `description` never reveal the password: libpq's parse messages can quote the text
/// around the mistake, so they are not passed on.
public struct PostgresConnectionString: Sendable, Hashable, CustomStringConvertible {
    /// The string as given, including any password: pass it only to libpq.
    let rawValue: String
    /// The options the string sets, by libpq keyword, with `password` replaced by `<redacted>`.
    public let options: [String: String]

    /// Parses and validates `string`, throwing `08001` (`unableToConnect`) with a generic message if libpq rejects it.
    public init(_ string: String) throws(PostgresError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(string, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }  // may quote the password: dropped, never shown
            throw PostgresError(
                code: .unableToConnect,
                message: "invalid connection string (expected a postgresql:// URL or key=value pairs)"
            )
        }
        defer { PQconninfoFree(parsed) }
        var options: [String: String] = [:]
        var option = parsed
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                let name = String(cString: keyword)
                options[name] = name == "password" ? "<redacted>" : String(cString: value)
            }
            option += 1
        }
        self.rawValue = string
        self.options = options
    }

    /// The options as `key=value` pairs in key order, with the password redacted.
    public var description: String {
        options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}
