/// Turns validated import rows into a consistent catalog: artists and albums are made once from the rows that
/// name them, IDs are derived from names when the file gives none, and contradictions (one artist ID with two
/// names, one album under two artists, a repeated track ID) are row errors.
struct CatalogBuilder {
    private(set) var catalog = Catalog(artists: [], albums: [], tracks: [])
    private var artistIndex: [String: Int] = [:]
    private var albumIndex: [String: Int] = [:]
    private var trackIDs: Set<String> = []
    private var nextTrackNumber: [String: Int] = [:]

    var isEmpty: Bool { catalog.tracks.isEmpty }

    typealias Problem = CatalogImportError.Problem

    mutating func add(_ fields: [String: CatalogImporter.FieldValue], line: Int) throws(Problem) {
        func fail(_ field: String?, _ message: String) -> Problem { Problem(line: line, field: field, message: message) }
        let title = try name(fields, "title", line: line)
        let artistName = try name(fields, "artist", line: line)
        let albumTitle = try name(fields, "album", line: line)
        let durationMs = try duration(fields, line: line)
        guard let year = try integer(fields, "release_year", line: line) else { throw fail("release_year", "is required") }
        guard (1800...2100).contains(year) else { throw fail("release_year", "must be between 1800 and 2100, not \(year)") }
        let popularity = try integer(fields, "popularity", line: line) ?? 0
        guard (0...100).contains(popularity) else { throw fail("popularity", "must be between 0 and 100, not \(popularity)") }
        let disc = try integer(fields, "disc_number", line: line) ?? 1
        guard (1...100).contains(disc) else { throw fail("disc_number", "must be between 1 and 100") }
        let explicit = try flag(fields, "explicit", line: line) ?? false
        let genres = try genreList(fields, line: line)
        var isrc: String?
        if let value = try text(fields, "isrc", line: line) {
            let code = value.uppercased().replacingOccurrences(of: "-", with: "")
            guard Self.isValidISRC(code) else { throw fail("isrc", "must be 12 characters like USRC17607839") }
            isrc = code
        }

        let artistID = try text(fields, "artist_id", line: line) ?? "ar_" + StableID.make(Self.fold(artistName))
        try Self.checkID(artistID, field: "artist_id", line: line)
        if let index = artistIndex[artistID] {
            guard catalog.artists[index].name == artistName else {
                throw fail("artist", "artist \(artistID) is already named \"\(catalog.artists[index].name)\"")
            }
        } else {
            artistIndex[artistID] = catalog.artists.count
            catalog.artists.append(ArtistRecord(id: artistID, name: artistName, genres: genres, popularity: popularity))
        }
        let albumID = try text(fields, "album_id", line: line) ?? "al_" + StableID.make(artistID + "\u{1F}" + Self.fold(albumTitle))
        try Self.checkID(albumID, field: "album_id", line: line)
        if let index = albumIndex[albumID] {
            guard catalog.albums[index].artistID == artistID, catalog.albums[index].title == albumTitle else {
                throw fail("album", "album \(albumID) already belongs to another artist or title")
            }
        } else {
            albumIndex[albumID] = catalog.albums.count
            catalog.albums.append(AlbumRecord(id: albumID, artistID: artistID, title: albumTitle, releaseYear: year, genres: genres))
        }
        let numberKey = albumID + "\u{1F}\(disc)"
        let number = try integer(fields, "track_number", line: line) ?? (nextTrackNumber[numberKey] ?? 1)
        guard (1...1000).contains(number) else { throw fail("track_number", "must be between 1 and 1000") }
        nextTrackNumber[numberKey] = number + 1
        let trackID = try text(fields, "id", line: line) ?? "tr_" + StableID.make(numberKey + "\u{1F}\(number)\u{1F}" + Self.fold(title))
        try Self.checkID(trackID, field: "id", line: line)
        guard trackIDs.insert(trackID).inserted else { throw fail("id", "track \(trackID) appears twice") }
        catalog.tracks.append(TrackRecord(
            id: trackID, albumID: albumID, artistID: artistID, title: title, artistName: artistName, albumTitle: albumTitle,
            durationMs: durationMs, genres: genres, releaseYear: year, popularity: popularity, trackNumber: number,
            discNumber: disc, explicit: explicit, isrc: isrc))
    }

    // MARK: Fields

    private func text(_ fields: [String: CatalogImporter.FieldValue], _ key: String, line: Int) throws(Problem) -> String? {
        switch fields[key] {
        case nil, .null: return nil
        case .text(let value):
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        case .number(let value) where value == value.rounded(): return String(Int(value))
        default: throw Problem(line: line, field: key, message: "must be text")
        }
    }

    private func name(_ fields: [String: CatalogImporter.FieldValue], _ key: String, line: Int) throws(Problem) -> String {
        guard let value = try text(fields, key, line: line) else { throw Problem(line: line, field: key, message: "is required") }
        guard value.count <= 300 else { throw Problem(line: line, field: key, message: "is longer than 300 characters") }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Problem(line: line, field: key, message: "contains control characters")
        }
        return value
    }

    private func integer(_ fields: [String: CatalogImporter.FieldValue], _ key: String, line: Int) throws(Problem) -> Int? {
        switch fields[key] {
        case nil, .null: return nil
        case .number(let value):
            guard value == value.rounded(), abs(value) < 1e12 else {
                throw Problem(line: line, field: key, message: "must be a whole number")
            }
            return Int(value)
        case .text(let value):
            guard let number = Int(value.trimmingCharacters(in: .whitespaces)) else {
                throw Problem(line: line, field: key, message: "must be a whole number, not \"\(value.prefix(40))\"")
            }
            return number
        default: throw Problem(line: line, field: key, message: "must be a whole number")
        }
    }

    private func flag(_ fields: [String: CatalogImporter.FieldValue], _ key: String, line: Int) throws(Problem) -> Bool? {
        switch fields[key] {
        case nil, .null: return nil
        case .bool(let value): return value
        case .number(let value) where value == 0 || value == 1: return value == 1
        case .text(let value):
            switch value.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: break
            }
        default: break
        }
        throw Problem(line: line, field: key, message: "must be true or false")
    }

    private func duration(_ fields: [String: CatalogImporter.FieldValue], line: Int) throws(Problem) -> Int {
        if let milliseconds = try integer(fields, "duration_ms", line: line) {
            guard (1...86_400_000).contains(milliseconds) else {
                throw Problem(line: line, field: "duration_ms", message: "must be between 1 ms and 24 hours")
            }
            return milliseconds
        }
        guard let text = try text(fields, "duration", line: line) else {
            throw Problem(line: line, field: "duration_ms", message: "is required (or give duration as m:ss)")
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil && $0! >= 0 }), parts.dropFirst().allSatisfy({ $0! < 60 }) else {
            throw Problem(line: line, field: "duration", message: "must look like 3:45 or 1:02:03")
        }
        let seconds = parts.reduce(0) { $0 * 60 + $1! }
        guard (1...86_400).contains(seconds) else {
            throw Problem(line: line, field: "duration", message: "must be between 1 second and 24 hours")
        }
        return seconds * 1000
    }

    private func genreList(_ fields: [String: CatalogImporter.FieldValue], line: Int) throws(Problem) -> [String] {
        var genres: [String] = []
        switch fields["genres"] {
        case nil, .null: return []
        case .list(let values): genres = values
        case .text(let value): genres = value.split(separator: "|").map(String.init)
        default: throw Problem(line: line, field: "genres", message: "must be a list of names")
        }
        var result: [String] = []
        for genre in genres.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !genre.isEmpty {
            guard genre.count <= 40 else { throw Problem(line: line, field: "genres", message: "a genre is longer than 40 characters") }
            guard !genre.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw Problem(line: line, field: "genres", message: "contains control characters")
            }
            if !result.contains(genre) { result.append(genre) }
        }
        guard result.count <= 10 else { throw Problem(line: line, field: "genres", message: "at most 10 genres") }
        return result
    }

    // MARK: Helpers

    private static func checkID(_ id: String, field: String, line: Int) throws(Problem) {
        guard (1...64).contains(id.utf8.count), id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else {
            throw Problem(line: line, field: field, message: "IDs are 1–64 printable ASCII characters without spaces or '/'")
        }
    }

    /// A name folded for stable IDs: lower case, single spaces.
    private static func fold(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    private static func isValidISRC(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count == 12 else { return false }
        func letter(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
        func digit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        return bytes[0..<2].allSatisfy(letter) && bytes[2..<5].allSatisfy { letter($0) || digit($0) } && bytes[5...].allSatisfy(digit)
    }
}

/// Short, stable IDs from text: 12 base-36 digits of the text's 64-bit FNV-1a hash.
enum StableID {
    static func make(_ text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
        let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var result = ""
        for _ in 0..<12 {
            result.append(digits[Int(hash % 36)])
            hash /= 36
        }
        return result
    }
}
