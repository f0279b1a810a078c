public import AudoticsAPI
public import AudoticsPostgres
import AudoticsServiceSupport
import AudoticsWellKnownTypes

/// The catalog in PostgreSQL's music schema (see `Sources/AudoticsMigrations/SQL/music`), read through a pool.
///
/// Search combines full-text matching (weighted title, artist, album) with trigram similarity for typos; a row
/// matches either way and ranks by the sum of both scores, then popularity, then ID, so pages are stable.
public struct PostgresCatalogRepository: CatalogRepository {
    /// The pool queries go through.
    public let pool: PostgresPool

    /// Creates the repository.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    static let trackColumns: StaticString = """
        t.id, t.title, t.artist_id, t.artist_name, t.album_id, t.album_title, t.duration_ms, t.genres, t.release_year,
        t.popularity, t.track_number, t.disc_number, t.explicit, coalesce(t.isrc, '')
        """

    public func track(id: String, deadline: ContinuousClock.Instant?) async throws -> Track? {
        let rows = try await pool.query(
            "SELECT \(unescaped: Self.trackColumns) FROM music.tracks t WHERE t.id = \(id)", deadline: deadline)
        return try rows.first.map { try Self.track(from: $0) }
    }

    public func tracks(ids: [String], deadline: ContinuousClock.Instant?) async throws -> [String: Track] {
        let rows = try await pool.query(
            "SELECT \(unescaped: Self.trackColumns) FROM music.tracks t WHERE t.id = ANY(\(ids))", deadline: deadline)
        var tracks: [String: Track] = [:]
        for row in rows {
            let track = try Self.track(from: row)
            tracks[track.id] = track
        }
        return tracks
    }

    public func search(_ search: CatalogSearch, deadline: ContinuousClock.Instant?) async throws -> (tracks: [Track], total: Int) {
        let query = search.query
        let genre = search.genre
        // With text, `music.search_track_ids` (migration music/0003) ranks the matches in a plan that uses the
        // full-text and trigram indexes, and the page's tracks are joined back by ID. Without text, the genre alone.
        let statement: PostgresQuery
        if query.isEmpty {
            statement = """
                SELECT \(unescaped: Self.trackColumns), count(*) OVER () AS total
                FROM music.tracks t WHERE \(genre) = ANY(t.genres)
                ORDER BY t.popularity DESC, t.id
                LIMIT \(search.limit) OFFSET \(search.offset)
                """
        } else {
            statement = """
                SELECT \(unescaped: Self.trackColumns), m.total
                FROM music.search_track_ids(\(query), \(genre), \(search.limit), \(search.offset)) m
                JOIN music.tracks t ON t.id = m.id
                ORDER BY m.ordinal
                """
        }
        let rows = try await pool.query(statement, deadline: deadline)
        var tracks: [Track] = []
        var total = 0
        for row in rows {
            tracks.append(try Self.track(from: row))
            total = try row.decode(Int.self, column: 14)
        }
        if tracks.isEmpty && search.offset > 0 {
            // Past the end: the size from the first page.
            let first = try await self.search(CatalogSearch(query: query, genre: genre, offset: 0, limit: 1), deadline: deadline)
            return ([], first.total)
        }
        return (tracks, min(total, CatalogSearch.maxMatches))
    }

    public func artist(id: String, deadline: ContinuousClock.Instant?) async throws -> Artist? {
        let results = try await pool.pipeline([
            "SELECT a.id, a.name, a.genres, a.popularity, (SELECT count(*) FROM music.albums WHERE artist_id = a.id), (SELECT count(*) FROM music.tracks WHERE artist_id = a.id) FROM music.artists a WHERE a.id = \(id)",
            "SELECT \(unescaped: Self.trackColumns) FROM music.tracks t WHERE t.artist_id = \(id) ORDER BY t.popularity DESC, t.id LIMIT 10",
            """
            SELECT al.id, al.title, al.artist_id, ar.name, al.release_year, (SELECT count(*) FROM music.tracks WHERE album_id = al.id)
            FROM music.albums al JOIN music.artists ar ON ar.id = al.artist_id
            WHERE al.artist_id = \(id) ORDER BY al.release_year DESC, al.id LIMIT 50
            """,
        ], deadline: deadline)
        guard let row = results[0].first else { return nil }
        var artist = Artist()
        artist.id = try row.decode(String.self, column: 0)
        artist.name = try row.decode(String.self, column: 1)
        artist.genres = try row.decode([String].self, column: 2)
        artist.popularity = try row.decode(Int32.self, column: 3)
        artist.albumCount = Int32(try row.decode(Int64.self, column: 4))
        artist.trackCount = Int32(try row.decode(Int64.self, column: 5))
        artist.topTracks = try results[1].map { try Self.track(from: $0) }
        artist.albums = try results[2].map { album in
            try .with {
                $0.id = try album.decode(String.self, column: 0)
                $0.title = try album.decode(String.self, column: 1)
                $0.artistID = try album.decode(String.self, column: 2)
                $0.artistName = try album.decode(String.self, column: 3)
                $0.releaseYear = try album.decode(Int32.self, column: 4)
                $0.trackCount = Int32(try album.decode(Int64.self, column: 5))
            }
        }
        return artist
    }

    public func album(id: String, deadline: ContinuousClock.Instant?) async throws -> Album? {
        let results = try await pool.pipeline([
            "SELECT al.id, al.title, al.artist_id, ar.name, al.release_year, al.genres FROM music.albums al JOIN music.artists ar ON ar.id = al.artist_id WHERE al.id = \(id)",
            "SELECT \(unescaped: Self.trackColumns) FROM music.tracks t WHERE t.album_id = \(id) ORDER BY t.disc_number, t.track_number, t.id LIMIT 500",
        ], deadline: deadline)
        guard let row = results[0].first else { return nil }
        var album = Album()
        album.id = try row.decode(String.self, column: 0)
        album.title = try row.decode(String.self, column: 1)
        album.artistID = try row.decode(String.self, column: 2)
        album.artistName = try row.decode(String.self, column: 3)
        album.releaseYear = try row.decode(Int32.self, column: 4)
        album.genres = try row.decode([String].self, column: 5)
        album.tracks = try results[1].map { try Self.track(from: $0) }
        album.trackCount = Int32(album.tracks.count)
        album.totalDurationMs = album.tracks.reduce(0) { $0 + Int64($1.durationMs) }
        return album
    }

    public func history(_ query: HistoryQuery, deadline: ContinuousClock.Instant?) async throws -> [HistoryEntry] {
        let afterTime = query.after?.playedAt
        let afterID = query.after?.playID ?? ""
        let rows = try await pool.query(
            """
            SELECT h.play_id, (extract(epoch FROM h.played_at) * 1000000)::bigint, h.played_ms, h.completed, h.skipped,
                   h.source, h.source_id, h.device_type, h.device_id, h.session_id, \(unescaped: Self.trackColumns)
            FROM music.listening_history h JOIN music.tracks t ON t.id = h.track_id
            WHERE h.user_id = \(query.userID)
              AND (\(query.start)::bigint IS NULL OR h.played_at >= to_timestamp(\(query.start)::bigint / 1000000.0))
              AND (\(query.end)::bigint IS NULL OR h.played_at < to_timestamp(\(query.end)::bigint / 1000000.0))
              AND (\(afterTime)::bigint IS NULL
                   OR (h.played_at, h.play_id) < (to_timestamp(\(afterTime)::bigint / 1000000.0), \(afterID)))
            ORDER BY h.played_at DESC, h.play_id DESC
            LIMIT \(query.limit)
            """, deadline: deadline)
        return try rows.map { row in
            let micros = try row.decode(Int64.self, column: 1)
            var entry = HistoryEntry()
            entry.playID = try row.decode(String.self, column: 0)
            entry.playedAt = Timestamp(unixMicroseconds: micros)
            entry.playedMs = try row.decode(Int32.self, column: 2)
            entry.completed = try row.decode(Bool.self, column: 3)
            entry.skipped = try row.decode(Bool.self, column: 4)
            entry.context = try .with {
                $0.source = PlaybackSource(rawValue: try row.decode(Int32.self, column: 5))
                $0.sourceID = try row.decode(String.self, column: 6)
                $0.deviceType = DeviceType(rawValue: try row.decode(Int32.self, column: 7))
                $0.deviceID = try row.decode(String.self, column: 8)
                $0.sessionID = try row.decode(String.self, column: 9)
            }
            entry.track = try Self.track(from: row, offset: 10)
            return entry
        }
    }

    /// A track from the `trackColumns` starting at column `offset`.
    static func track(from row: PostgresRow, offset: Int = 0) throws -> Track {
        var track = Track()
        track.id = try row.decode(String.self, column: offset)
        track.title = try row.decode(String.self, column: offset + 1)
        track.artistID = try row.decode(String.self, column: offset + 2)
        track.artistName = try row.decode(String.self, column: offset + 3)
        track.albumID = try row.decode(String.self, column: offset + 4)
        track.albumTitle = try row.decode(String.self, column: offset + 5)
        track.durationMs = try row.decode(Int32.self, column: offset + 6)
        track.genres = try row.decode([String].self, column: offset + 7)
        track.releaseYear = try row.decode(Int32.self, column: offset + 8)
        track.popularity = try row.decode(Int32.self, column: offset + 9)
        track.trackNumber = try row.decode(Int32.self, column: offset + 10)
        track.discNumber = try row.decode(Int32.self, column: offset + 11)
        track.explicit = try row.decode(Bool.self, column: offset + 12)
        track.isrc = try row.decode(String.self, column: offset + 13)
        return track
    }
}
