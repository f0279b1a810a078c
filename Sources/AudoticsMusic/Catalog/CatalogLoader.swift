public import AudoticsPostgres

/// Writes a catalog into the music schema, in one transaction: artists, then albums, then tracks, in batches of
/// `batchSize` rows per statement (each column bound as one array parameter and spread with `unnest`, so a
/// batch is one round trip). Rows whose ID exists are updated, so loading the same catalog twice changes nothing
/// and a corrected file can be loaded over an older one.
///
/// Blocking: run it from a command-line tool's main thread or a dedicated thread, never on an event loop.
public struct CatalogLoader {
    /// Rows per statement.
    public var batchSize: Int

    /// Creates a loader.
    public init(batchSize: Int = 5_000) {
        precondition(batchSize > 0, "batchSize must be positive")
        self.batchSize = batchSize
    }

    /// What a load wrote.
    public struct Report: Sendable, Hashable {
        /// Artists, albums and tracks written (inserted or updated).
        public var artists: Int
        public var albums: Int
        public var tracks: Int
    }

    /// Loads `catalog` over `connection` (which must have the music schema migrated).
    public func load(_ catalog: Catalog, into connection: PostgresConnection) throws(PostgresError) -> Report {
        try connection.executeScript("BEGIN")
        do {
            for batch in catalog.artists.chunked(batchSize) {
                _ = try connection.execute(Self.artistSQL, parameters: [
                    ArrayLiteral.text(batch.map(\.id)), ArrayLiteral.text(batch.map(\.name)),
                    ArrayLiteral.text(batch.map { $0.genres.joined(separator: ArrayLiteral.listSeparator) }),
                    ArrayLiteral.integers(batch.map(\.popularity)),
                ])
            }
            for batch in catalog.albums.chunked(batchSize) {
                _ = try connection.execute(Self.albumSQL, parameters: [
                    ArrayLiteral.text(batch.map(\.id)), ArrayLiteral.text(batch.map(\.artistID)),
                    ArrayLiteral.text(batch.map(\.title)), ArrayLiteral.integers(batch.map(\.releaseYear)),
                    ArrayLiteral.text(batch.map { $0.genres.joined(separator: ArrayLiteral.listSeparator) }),
                ])
            }
            for batch in catalog.tracks.chunked(batchSize) {
                _ = try connection.execute(Self.trackSQL, parameters: [
                    ArrayLiteral.text(batch.map(\.id)), ArrayLiteral.text(batch.map(\.albumID)),
                    ArrayLiteral.text(batch.map(\.artistID)), ArrayLiteral.text(batch.map(\.title)),
                    ArrayLiteral.text(batch.map(\.artistName)), ArrayLiteral.text(batch.map(\.albumTitle)),
                    ArrayLiteral.integers(batch.map(\.durationMs)),
                    ArrayLiteral.text(batch.map { $0.genres.joined(separator: ArrayLiteral.listSeparator) }),
                    ArrayLiteral.integers(batch.map(\.releaseYear)), ArrayLiteral.integers(batch.map(\.popularity)),
                    ArrayLiteral.integers(batch.map(\.trackNumber)), ArrayLiteral.integers(batch.map(\.discNumber)),
                    ArrayLiteral.booleans(batch.map(\.explicit)), ArrayLiteral.optionalText(batch.map(\.isrc)),
                ])
            }
            try connection.executeScript("COMMIT")
        } catch {
            try? connection.executeScript("ROLLBACK")
            throw error
        }
        return Report(artists: catalog.artists.count, albums: catalog.albums.count, tracks: catalog.tracks.count)
    }

    /// Genres travel as one text per row, split back with `string_to_array` on the unit separator.
    private static let genres = "CASE WHEN g = '' THEN '{}'::text[] ELSE string_to_array(g, E'\\x1f') END"

    static let artistSQL = """
        INSERT INTO music.artists (id, name, genres, popularity)
        SELECT id, name, \(genres), popularity
        FROM unnest($1::text[], $2::text[], $3::text[], $4::int[]) AS r(id, name, g, popularity)
        ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, genres = EXCLUDED.genres, popularity = EXCLUDED.popularity
        """

    static let albumSQL = """
        INSERT INTO music.albums (id, artist_id, title, release_year, genres)
        SELECT id, artist_id, title, release_year, \(genres)
        FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) AS r(id, artist_id, title, release_year, g)
        ON CONFLICT (id) DO UPDATE SET artist_id = EXCLUDED.artist_id, title = EXCLUDED.title,
            release_year = EXCLUDED.release_year, genres = EXCLUDED.genres
        """

    static let trackSQL = """
        INSERT INTO music.tracks (id, album_id, artist_id, title, artist_name, album_title, duration_ms, genres,
            release_year, popularity, track_number, disc_number, explicit, isrc)
        SELECT id, album_id, artist_id, title, artist_name, album_title, duration_ms, \(genres),
            release_year, popularity, track_number, disc_number, explicit, isrc
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[],
            $9::int[], $10::int[], $11::int[], $12::int[], $13::bool[], $14::text[])
            AS r(id, album_id, artist_id, title, artist_name, album_title, duration_ms, g, release_year, popularity,
                track_number, disc_number, explicit, isrc)
        ON CONFLICT (id) DO UPDATE SET album_id = EXCLUDED.album_id, artist_id = EXCLUDED.artist_id,
            title = EXCLUDED.title, artist_name = EXCLUDED.artist_name, album_title = EXCLUDED.album_title,
            duration_ms = EXCLUDED.duration_ms, genres = EXCLUDED.genres, release_year = EXCLUDED.release_year,
            popularity = EXCLUDED.popularity, track_number = EXCLUDED.track_number,
            disc_number = EXCLUDED.disc_number, explicit = EXCLUDED.explicit, isrc = EXCLUDED.isrc
        """
}

/// PostgreSQL array literals (`{"a","b",NULL}`) for binding a whole column as one text parameter.
enum ArrayLiteral {
    /// Joins a row's list items (genres) inside one array element; control characters never occur in them.
    static let listSeparator = "\u{1F}"

    static func text(_ values: [String]) -> String {
        optionalText(values.map { Optional($0) })
    }

    static func optionalText(_ values: [String?]) -> String {
        var literal = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { literal += "," }
            guard let value else {
                literal += "NULL"
                continue
            }
            literal += "\""
            for character in value.unicodeScalars {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        return literal + "}"
    }

    static func integers(_ values: [Int]) -> String {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }

    static func booleans(_ values: [Bool]) -> String {
        "{" + values.map { $0 ? "t" : "f" }.joined(separator: ",") + "}"
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    fileprivate func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
