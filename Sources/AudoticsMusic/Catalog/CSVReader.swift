/// Splits RFC 4180 CSV text into records: fields separated by commas, optionally double-quoted (a quoted field
/// may hold commas, line breaks and `""` for a quote), records separated by LF or CRLF. Reports the line each
/// record starts on, for error messages.
struct CSVReader {
    /// A record and the 1-based line it starts on.
    struct Record {
        var line: Int
        var fields: [String]
    }

    /// Why the text is not CSV.
    struct SyntaxError: Error {
        var line: Int
        var message: String
    }

    /// Parses the whole text.
    static func records(in text: String) throws(SyntaxError) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false
        let bytes = Array(text.utf8)
        var index = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quotedField = false
        }
        func endRecord() {
            endField()
            // A blank line is no record.
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\""):
                    guard field.isEmpty, !quotedField else {
                        throw SyntaxError(line: line, message: "a quote inside an unquoted field (quote the whole field)")
                    }
                    inQuotes = true
                    quotedField = true
                case UInt8(ascii: "\r"):
                    // CRLF ends a record like LF; so does a CR that ends the text.
                    if index + 1 == bytes.count || bytes[index + 1] == UInt8(ascii: "\n") { break }
                    field.append(byte)
                case UInt8(ascii: "\n"):
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    if quotedField {
                        throw SyntaxError(line: line, message: "text after a closing quote")
                    }
                    field.append(byte)
                }
            }
            index += 1
        }
        if inQuotes { throw SyntaxError(line: recordLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || quotedField { endRecord() }
        return records
    }
}
