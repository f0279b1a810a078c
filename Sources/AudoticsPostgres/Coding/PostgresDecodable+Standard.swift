extension String: PostgresDecodable {
    /// Reads text-like columns (`text`, `varchar`, `char`, `name`, `json`, `jsonb`, untyped literals and
    /// user-defined types such as `citext` and enums, whose binary format is their text) and `uuid`.
    public init(postgresCell cell: PostgresCell) throws(PostgresError) {
        let bytes = cell.value
        switch cell.dataType {
        case .text, .varchar, .bpchar, .name, .json, .unknown:
            self = String(decoding: bytes, as: UTF8.self)
        case .jsonb:
            guard bytes.first == 1 else { throw cell.malformed(String.self) }
            self = String(decoding: bytes.dropFirst(), as: UTF8.self)
        case .uuid:
            guard bytes.count == 16 else { throw cell.malformed(String.self) }
            self = formatUUID(bytes)
        case let type where type.rawValue >= PostgresDataType.firstUserDefined:
            self = String(decoding: bytes, as: UTF8.self)
        default:
            throw cell.mismatch(String.self)
        }
    }
}

extension Int64: PostgresDecodable {
    /// Reads `int2`, `int4`, `int8` and `oid`.
    public init(postgresCell cell: PostgresCell) throws(PostgresError) {
        let bytes = cell.value
        switch (cell.dataType, bytes.count) {
        case (.int8, 8): self = bytes.readBigEndian(Int64.self)
        case (.int4, 4): self = Int64(bytes.readBigEndian(Int32.self))
        case (.int2, 2): self = Int64(bytes.readBigEndian(Int16.self))
        case (.oid, 4): self = Int64(bytes.readBigEndian(UInt32.self))
        case (.int8, _), (.int4, _), (.int2, _), (.oid, _): throw cell.malformed(Int64.self)
        default: throw cell.mismatch(Int64.self)
        }
    }
}

extension Int: PostgresDecodable {
    /// Reads `int2`, `int4`, `int8` and `oid`.
    public init(postgresCell cell: PostgresCell) throws(PostgresError) {
        do {
            self = Int(try Int64(postgresCell: cell))
        } catch {
            throw error.code == .datatypeMismatch ? cell.mismatch(Int.self) : error
        }
    }
}

extension Int32: PostgresDecodable {
    /// Reads `int2` and `int4`, and `int8` values that fit (else `22003`, numeric value out of range).
    public init(postgresCell cell: PostgresCell) throws(PostgresError) {
        let wide: Int64
        do {
            wide = try Int64(postgresCell: cell)
        } catch {
            throw error.code == .datatypeMismatch ? cell.mismatch(Int32.self) : error
        }
        guard let narrow = Int32(exactly: wide) else {
            throw PostgresError(code: .numericValueOutOfRange, message: "column \(cell.columnName): value does not fit Int32")
        }
        self = narrow
    }
}

extension Bool: PostgresDecodable {
    /// Reads `bool`.
    public init(postgresCell cell: PostgresCell) throws(PostgresError) {
        guard cell.dataType == .bool else { throw cell.mismatch(Bool.self) }
        guard cell.value.count == 1 else { throw cell.malformed(Bool.self) }
        self = cell.value.first != 0
    }
}

extension Double: PostgresDecodable {
    /// Reads `float8` and `float4`.
    public init(postgresCell cell: PostgresCell) throws(PostgresError) {
        let bytes = cell.value
        switch (cell.dataType, bytes.count) {
        case (.float8, 8): self = Double(bitPattern: bytes.readBigEndian(UInt64.self))
        case (.float4, 4): self = Double(Float(bitPattern: bytes.readBigEndian(UInt32.self)))
        case (.float8, _), (.float4, _): throw cell.malformed(Double.self)
        default: throw cell.mismatch(Double.self)
        }
    }
}


/// The canonical `8-4-4-4-12` lowercase form of 16 UUID bytes.
func formatUUID(_ bytes: ArraySlice<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(36)
    for (index, byte) in bytes.enumerated() {
        if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
}
