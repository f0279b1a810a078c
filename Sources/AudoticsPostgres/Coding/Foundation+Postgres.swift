public import Foundation

/// Seconds from the Unix epoch to PostgreSQL's epoch, 2000-01-01 00:00:00 UTC.
private let postgresEpochOffset: Double = 946_684_800

extension Date: PostgresEncodable, PostgresDecodable {
    /// `timestamptz`.
    public static var postgresType: PostgresDataType { .timestamptz }

    /// Microseconds since 2000-01-01 UTC, big-endian (sub-microsecond precision is rounded away).
    public func encode(into buffer: inout [UInt8]) {
        let microseconds = ((timeIntervalSince1970 - postgresEpochOffset) * 1_000_000).rounded()
        buffer.appendBigEndian(Int64(microseconds))
    }

    /// Reads `timestamptz`, and `timestamp` as if it were UTC; `infinity` and `-infinity` throw `22008`.
    public init(postgresCell cell: PostgresCell) throws(PostgresError) {
        guard cell.dataType == .timestamptz || cell.dataType == .timestamp else { throw cell.mismatch(Date.self) }
        guard cell.value.count == 8 else { throw cell.malformed(Date.self) }
        let microseconds = cell.value.readBigEndian(Int64.self)
        guard microseconds != .max, microseconds != .min else {
            throw PostgresError(code: SQLState(rawValue: "22008"), message: "column \(cell.columnName) is infinite, which Date cannot hold")
        }
        self = Date(timeIntervalSince1970: Double(microseconds) / 1_000_000 + postgresEpochOffset)
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    /// `uuid`.
    public static var postgresType: PostgresDataType { .uuid }

    /// The sixteen bytes.
    public func encode(into buffer: inout [UInt8]) {
        withUnsafeBytes(of: uuid) { buffer.append(contentsOf: $0) }
    }

    /// Reads `uuid`.
    public init(postgresCell cell: PostgresCell) throws(PostgresError) {
        guard cell.dataType == .uuid else { throw cell.mismatch(UUID.self) }
        guard cell.value.count == 16 else { throw cell.malformed(UUID.self) }
        let b = Array(cell.value)
        self = UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
