import Foundation

/// Reads a catalog from CSV (a header row, then one track per row) or JSON Lines (one JSON object per line), the
/// fields named alike:
///
/// | field | required | meaning |
/// |---|---|---|
/// | `title`, `artist`, `album` | yes | names, 1–300 characters |
/// | `duration_ms` or `duration` | yes | milliseconds, or `m:ss` / `h:mm:ss` |
/// | `release_year` | yes | 1800–2100 |
/// | `genres` | no | CSV: `pop|indie`; JSON: an array of strings or that form |
/// | `popularity` | no | 0–100 (default 0) |
/// | `track_number`, `disc_number` | no | from 1 (default: order within the album, disc 1) |
/// | `explicit` | no | `true`/`false`/`1`/`0`/`yes`/`no` (default false) |
/// | `isrc` | no | 12 characters, e.g. `USRC17607839` |
/// | `id`, `artist_id`, `album_id` | no | made stable from the names when absent |
///
/// Every bad row is reported (line, field, reason) in one `CatalogImportError`; nothing is returned unless the
/// whole file is good, or `skippingBadRows` is set (then the good rows are returned and the problems listed).
public enum CatalogImporter {
    /// The file formats.
    public enum Format: String, Sendable, CaseIterable {
        /// Comma-separated values with a header row (RFC 4180).
        case csv
        /// One JSON object per line.
        case jsonLines = "jsonl"
    }

    /// The largest file accepted, in bytes (the catalog is loaded in memory).
    public static let maxFileBytes = 512 * 1024 * 1024

    /// Parses `text`. Returns the catalog and the problems of skipped rows (empty unless `skippingBadRows`).
    public static func catalog(
        from text: String, format: Format, skippingBadRows: Bool = false
    ) throws(CatalogImportError) -> (catalog: Catalog, skipped: [CatalogImportError.Problem]) {
        var rows: [(line: Int, fields: [String: FieldValue])] = []
        var problems: [CatalogImportError.Problem] = []
        switch format {
        case .csv: readCSV(text, into: &rows, problems: &problems)
        case .jsonLines: readJSONLines(text, into: &rows, problems: &problems)
        }
        var builder = CatalogBuilder()
        for row in rows {
            do {
                try builder.add(row.fields, line: row.line)
            } catch {
                problems.append(error)
            }
        }
        if rows.isEmpty && problems.isEmpty {
            problems.append(.init(line: 1, field: nil, message: "the file holds no tracks"))
        }
        if !problems.isEmpty && (!skippingBadRows || builder.isEmpty) {
            throw CatalogImportError(problems: problems.sorted { $0.line < $1.line })
        }
        return (builder.catalog, problems.sorted { $0.line < $1.line })
    }

    /// A JSON value of the kinds a catalog row may hold.
    enum JSONValue: Decodable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case strings([String])
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let text = try? container.decode(String.self) {
                self = .string(text)
            } else {
                self = .strings(try container.decode([String].self))
            }
        }
    }

    /// A field as the file gave it.
    enum FieldValue {
        case text(String)
        case number(Double)
        case bool(Bool)
        case list([String])
        case null
    }

    private static func readCSV(
        _ text: String, into rows: inout [(line: Int, fields: [String: FieldValue])], problems: inout [CatalogImportError.Problem]
    ) {
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.records(in: text)
        } catch {
            problems.append(.init(line: error.line, field: nil, message: error.message))
            return
        }
        guard let header = records.first else { return }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                problems.append(.init(
                    line: record.line, field: nil,
                    message: "\(record.fields.count) fields where the header has \(names.count)"))
                continue
            }
            var fields: [String: FieldValue] = [:]
            for (name, value) in zip(names, record.fields) where !value.isEmpty {
                fields[name] = name == "genres" ? .list(value.split(separator: "|").map(String.init)) : .text(value)
            }
            rows.append((record.line, fields))
        }
    }

    private static func readJSONLines(
        _ text: String, into rows: inout [(line: Int, fields: [String: FieldValue])], problems: inout [CatalogImportError.Problem]
    ) {
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            let number = offset + 1
            guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(trimmed.utf8)) else {
                problems.append(.init(line: number, field: nil, message: "not a JSON object (of strings, numbers, booleans, string arrays)"))
                continue
            }
            var fields: [String: FieldValue] = [:]
            for (key, value) in object {
                let name = key.lowercased()
                switch value {
                case .string(let text):
                    fields[name] = name == "genres" ? .list(text.split(separator: "|").map(String.init)) : .text(text)
                case .bool(let flag): fields[name] = .bool(flag)
                case .number(let number): fields[name] = .number(number)
                case .strings(let list): fields[name] = .list(list)
                case .null: fields[name] = .null
                }
            }
            rows.append((number, fields))
        }
    }
}
