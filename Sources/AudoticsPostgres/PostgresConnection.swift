#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
internal import CLibPQ

/// A **blocking** PostgreSQL connection over libpq: every call waits for the network on the calling thread.
///
/// Drive it only from a dedicated thread — never from an event-loop thread or from Swift
/// concurrency's cooperative pool, where a blocked thread stalls unrelated work. Services use `PostgresPool`,
/// which opens its connections with this type on a thread of their own and then drives them without
/// blocking. The connection is the single owner of its `PGconn`, which
/// `deinit` closes. Not `Sendable`: libpq connections must not be used from two threads at once.
public final class PostgresConnection {
    /// libpq's connection; owned by this object and closed in `deinit`.
    let connection: OpaquePointer

    /// Connects (blocking) using a libpq URL or key=value string, forcing `client_encoding=UTF8`.
    ///
    /// Throws `08001` for an invalid string or a failed connection; messages never include the password.
    public convenience init(connectionString: PostgresConnectionString) throws(PostgresError) {
        try self.init(connectionString: connectionString, overrides: [:])
    }

    /// Connects (blocking) with extra libpq keywords that override the string's (e.g. `connect_timeout`).
    init(connectionString: PostgresConnectionString, overrides: [String: String]) throws(PostgresError) {
        // expand_dbname = 1 makes libpq read "dbname" as a whole connection string; later keywords override it.
        let extra = overrides.sorted { $0.key < $1.key }
        let keywords = ["dbname", "client_encoding", "fallback_application_name"] + extra.map(\.key)
        let values = [connectionString.rawValue, "UTF8", "audotics"] + extra.map(\.value)
        let connection = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PostgresError(code: .unableToConnect, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = Self.libpqMessage(connection)
            PQfinish(connection)
            throw PostgresError(code: .unableToConnect, message: "cannot connect: \(reason)")
        }
        // libpq prints server notices to stderr by default; they can quote data, so drop them (issue 4 maps them).
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        self.connection = connection
    }

    /// Validates `url` with `PQconninfoParse`, then connects (blocking); see `init(connectionString:)`.
    public convenience init(url: String) throws(PostgresError) {
        try self.init(connectionString: PostgresConnectionString(url))
    }

    deinit {
        PQfinish(connection)
    }

    /// The server's version as a number, e.g. 150018 for 15.18.
    public var serverVersion: Int { Int(PQserverVersion(connection)) }

    /// The server's version as it reports it, e.g. `15.18 (Debian 15.18-0+deb12u1)`.
    public var serverVersionString: String {
        PQparameterStatus(connection, "server_version").map { String(cString: $0) } ?? ""
    }

    /// Whether the connection is still usable (libpq has not seen it fail).
    public var isConnected: Bool { PQstatus(connection) == CONNECTION_OK }

    /// Runs one SQL statement (blocking) with `$1`, `$2`, … bound to `parameters` as text (nil is NULL),
    /// returning its rows in text format.
    ///
    /// Parameters travel separately from the SQL (`PQexecParams`), so they can never change the statement;
    /// a string holding several statements is rejected by the server. Errors never contain parameter values.
    public func execute(_ sql: String, parameters: [String?] = []) throws(PostgresError) -> PostgresResult {
        guard parameters.count <= Int(UInt16.max) else {
            throw PostgresError(code: SQLState(rawValue: "54000"), message: "more than 65535 parameters")
        }
        if let index = parameters.firstIndex(where: { $0?.utf8.contains(0) == true }) {
            throw PostgresError(
                code: SQLState(rawValue: "22021"),
                message: "parameter $\(index + 1) contains a zero byte, which text values cannot hold"
            )
        }
        let copies: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.map { strdup($0) } }
        defer { copies.forEach { free($0) } }
        let values = copies.map { $0.map { UnsafePointer($0) } }
        let result = values.withUnsafeBufferPointer { buffer in
            PQexecParams(connection, sql, Int32(values.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        guard let result else {
            throw PostgresError(code: .connectionFailure, message: "query failed: \(Self.libpqMessage(connection))")
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return Self.decode(result)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
            throw Self.serverError(result, connection: connection)
        default:
            throw PostgresError(code: .protocolViolation, message: "unsupported result kind (COPY is not supported here)")
        }
    }

    /// Runs a trusted SQL script of one or more statements (blocking), for migrations shipped with the code.
    ///
    /// Uses the simple query protocol (`PQexec`), which has no parameters: never pass text that contains
    /// user input; use `execute(_:parameters:)` for that. Outside an explicit transaction the server runs
    /// the whole script as one implicit transaction.
    public func executeScript(_ sql: String) throws(PostgresError) {
        guard let result = PQexec(connection, sql) else {
            throw PostgresError(code: .connectionFailure, message: "script failed: \(Self.libpqMessage(connection))")
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
            throw Self.serverError(result, connection: connection)
        default:
            throw PostgresError(code: .protocolViolation, message: "unsupported result kind (COPY is not supported here)")
        }
    }

    private static func decode(_ result: OpaquePointer) -> PostgresResult {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        let rows = (0..<rowCount).map { row in
            (0..<columnCount).map { column -> String? in
                let (row, column) = (Int32(row), Int32(column))
                if PQgetisnull(result, row, column) != 0 { return nil }
                let bytes = UnsafeRawBufferPointer(start: PQgetvalue(result, row, column), count: Int(PQgetlength(result, row, column)))
                return String(decoding: bytes, as: UTF8.self)
            }
        }
        let tag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) }
        return PostgresResult(columns: columns, rows: rows, commandTag: tag, affectedRows: affected)
    }

    /// Builds the error from the result's fields; only SQLSTATE and schema names enter the safe message.
    static func serverError(_ result: OpaquePointer, connection: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let lost = PQstatus(connection) != CONNECTION_OK
        let state = field("C").map(SQLState.init(rawValue:)) ?? (lost ? .connectionFailure : .internalError)
        var message = state.conditionName
        let constraint = field("n")
        let table = field("t")
        let column = field("c")
        var objects: [String] = []
        if let constraint { objects.append("constraint \(constraint)") }
        if let table { objects.append("table \(table)") }
        if let column { objects.append("column \(column)") }
        if !objects.isEmpty { message += " (\(objects.joined(separator: ", ")))" }
        var error = PostgresError(code: state, message: message)
        error.serverMessage = field("M") ?? (lost ? libpqMessage(connection) : nil)
        error.serverDetail = field("D")
        error.constraintName = constraint
        error.tableName = table
        error.columnName = column
        return error
    }

    /// libpq's last error text for the connection, on one line (it names hosts and users, never passwords).
    static func libpqMessage(_ connection: OpaquePointer) -> String {
        let text = PQerrorMessage(connection).map { String(cString: $0) } ?? "unknown error"
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.joined(separator: "; ")
    }
}

/// libpq connections are not thread-safe; one thread at a time, and callers hand it over explicitly.
@available(*, unavailable)
extension PostgresConnection: Sendable {}
