import AudoticsMigrations
import AudoticsMusic
import AudoticsPostgres
import AudoticsTestSupport
import Foundation
import Testing

@Suite("Catalog loader (PostgreSQL)", .serialized)
struct CatalogLoaderTests {
    @Test("a generated catalog loads, loads again without change, and is searchable by words and by likeness")
    func loadAndSearch() throws {
        try withMusicDatabase { connection in
            let catalog = CatalogGenerator(seed: 3, trackCount: 3_000).generate()
            let report = try CatalogLoader(batchSize: 700).load(catalog, into: connection)
            #expect(report.tracks == catalog.tracks.count)
            func count(_ table: String) throws -> Int {
                Int(try connection.execute("SELECT count(*) FROM music.\(table)").rows[0][0] ?? "") ?? -1
            }
            #expect(try count("tracks") == catalog.tracks.count)
            #expect(try count("albums") == catalog.albums.count)
            #expect(try count("artists") == catalog.artists.count)
            _ = try CatalogLoader().load(catalog, into: connection)
            #expect(try count("tracks") == catalog.tracks.count)

            let track = catalog.tracks[1234]
            let stored = try connection.execute(
                "SELECT title, artist_name, duration_ms, array_to_string(genres, ','), isrc FROM music.tracks WHERE id = $1",
                parameters: [track.id])
            #expect(stored.rows.first == [track.title, track.artistName, String(track.durationMs), track.genres.joined(separator: ","), track.isrc])

            // Full text, accent-insensitive: the artist's name without accents finds the track.
            let words = track.artistName.applyingTransform(.stripDiacritics, reverse: false) ?? track.artistName
            let byWords = try connection.execute(
                "SELECT id FROM music.tracks WHERE search_vector @@ websearch_to_tsquery('simple', music.fold($1))",
                parameters: [words])
            #expect(byWords.rows.contains([track.id]))
            // Trigrams: a typo in the title still matches.
            var typo = Array(track.title)
            typo.swapAt(1, 2)
            let byLikeness = try connection.execute(
                "SELECT id FROM music.tracks WHERE search_text % music.fold($1) ORDER BY similarity(search_text, music.fold($1)) DESC LIMIT 200",
                parameters: [String(typo) + " " + track.artistName])
            #expect(byLikeness.rows.contains([track.id]))
        }
    }

    @Test("renaming an artist updates its tracks' copies of the name")
    func renameTrigger() throws {
        try withMusicDatabase { connection in
            let catalog = CatalogGenerator(seed: 5, trackCount: 50).generate()
            _ = try CatalogLoader().load(catalog, into: connection)
            let artist = catalog.artists[0]
            _ = try connection.execute("UPDATE music.artists SET name = $1 WHERE id = $2", parameters: ["Renamed Ünit", artist.id])
            let names = try connection.execute(
                "SELECT DISTINCT artist_name FROM music.tracks WHERE artist_id = $1", parameters: [artist.id])
            #expect(names.rows == [["Renamed Ünit"]])
        }
    }
}

/// Runs `body` on a new database with every migration applied, dropped afterwards.
func withMusicDatabase(_ body: (PostgresConnection) throws -> Void) throws {
    guard let base = ProcessInfo.processInfo.environment["AUDOTICS_TEST_DATABASE_URL"], !base.isEmpty else {
        Issue.record("AUDOTICS_TEST_DATABASE_URL is not set: run the tests with tools/test")
        return
    }
    let name = "audotics_music_\(UInt32.random(in: 0...UInt32.max))"
    let admin = try PostgresConnection(url: base)
    _ = try admin.execute("CREATE DATABASE \(name)")
    defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
    let connection = try PostgresConnection(url: replacingDatabase(in: base, with: name))
    _ = try MigrationRunner(connection: connection, catalog: MigrationCatalog.bundled()).migrate()
    try body(connection)
}
