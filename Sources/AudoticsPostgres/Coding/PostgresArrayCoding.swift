/// PostgreSQL's binary array format (`array_send`/`array_recv`), one dimension:
/// `ndim`, `has_null`, element OID, then per dimension its length and lower bound (1), then each element
/// as a 4-byte length (-1 for NULL) and its bytes.
enum PostgresArrayCoding {
    static func encode<Element: PostgresEncodable>(
        _ elements: [Element], elementType: PostgresDataType, into buffer: inout [UInt8]
    ) {
        buffer.appendBigEndian(Int32(elements.isEmpty ? 0 : 1))
        buffer.appendBigEndian(Int32(0))
        buffer.appendBigEndian(elementType.rawValue)
        guard !elements.isEmpty else { return }
        buffer.appendBigEndian(Int32(elements.count))
        buffer.appendBigEndian(Int32(1))
        for element in elements {
            let lengthAt = buffer.count
            buffer.appendBigEndian(Int32(0))
            element.encode(into: &buffer)
            let length = UInt32(buffer.count - lengthAt - 4)
            withUnsafeBytes(of: length.bigEndian) { bytes in
                for (offset, byte) in bytes.enumerated() { buffer[lengthAt + offset] = byte }
            }
        }
    }

    static func decode<Element: PostgresDecodable>(_ cell: PostgresCell, as _: Element.Type) throws(PostgresError) -> [Element] {
        var reader = BinaryReader(cell.value)
        guard let dimensions = reader.read(Int32.self), reader.read(Int32.self) != nil,
            let elementOID = reader.read(UInt32.self)
        else { throw cell.malformed([Element].self) }
        if dimensions == 0 { return [] }
        guard dimensions == 1 else {
            throw PostgresError(code: .datatypeMismatch, message: "column \(cell.columnName): only one-dimensional arrays decode")
        }
        guard let count = reader.read(Int32.self), reader.read(Int32.self) != nil, count >= 0 else {
            throw cell.malformed([Element].self)
        }
        let elementType = PostgresDataType(rawValue: elementOID)
        var elements: [Element] = []
        elements.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let length = reader.read(Int32.self) else { throw cell.malformed([Element].self) }
            guard length >= 0 else {
                throw PostgresError(code: .nullValueNotAllowed, message: "column \(cell.columnName): array holds a NULL element")
            }
            guard let bytes = reader.read(count: Int(length)) else { throw cell.malformed([Element].self) }
            let elementCell = PostgresCell(bytes: bytes, dataType: elementType, columnName: cell.columnName)
            elements.append(try Element(postgresCell: elementCell))
        }
        return elements
    }
}
