internal import CLibPQ

/// Turns a libpq result into `PostgresRows` or a `PostgresError`; the caller still owns (and clears) the result.
enum ResultReader {
    /// The rows of a successful result, or the error it carries.
    static func read(_ result: OpaquePointer?, connection: OpaquePointer) throws(PostgresError) -> PostgresRows {
        guard let result else {
            throw PostgresError(
                code: PQstatus(connection) == CONNECTION_OK ? .protocolViolation : .connectionFailure,
                message: "no result: \(PostgresConnection.libpqMessage(connection))")
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return rows(result)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR:
            throw PostgresConnection.serverError(result, connection: connection)
        case PGRES_PIPELINE_ABORTED:
            throw PostgresError(code: .inFailedTransaction, message: "not run: an earlier statement of the pipeline failed")
        default:
            throw PostgresError(code: .protocolViolation, message: "unsupported result kind (COPY is not supported here)")
        }
    }

    /// Copies every cell into one buffer, so the rows outlive the result and can cross threads.
    private static func rows(_ result: OpaquePointer) -> PostgresRows {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns: [PostgresColumn] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<Int32(columnCount) {
            columns.append(PostgresColumn(
                name: String(cString: PQfname(result, column)), dataType: PostgresDataType(rawValue: PQftype(result, column))))
        }
        var cells: [(offset: Int, length: Int)] = []
        cells.reserveCapacity(rowCount * columnCount)
        var storage: [UInt8] = []
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) != 0 {
                    cells.append((storage.count, -1))
                    continue
                }
                let length = Int(PQgetlength(result, row, column))
                cells.append((storage.count, length))
                if length > 0, let value = PQgetvalue(result, row, column) {
                    storage.append(contentsOf: UnsafeRawBufferPointer(start: value, count: length))
                }
            }
        }
        let tag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) }
        return PostgresRows(columns: columns, cells: cells, storage: storage, commandTag: tag, affectedRows: affected)
    }
}
