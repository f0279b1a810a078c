@testable import AudoticsMusic
import Testing

@Suite("Catalog importer")
struct CatalogImporterTests {
    static let header = "title,artist,album,duration,release_year,genres,popularity,explicit,isrc\n"

    @Test("CSV with quotes, commas, line breaks and non-ASCII names")
    func csv() throws {
        let text = Self.header + #"""
            "Hello, World",Zoë Keller,"First ""Album""",3:45,2001,pop|indie,50,yes,US-RC1-76-07839
            "Two; ""Lines""",Zoë Keller,"First ""Album""",4:01,2001,,,no,
            Björk-ish,Sigur,Ágætis,1:02:03,1999,ambient,10,0,\#r
            """#
        let (catalog, skipped) = try CatalogImporter.catalog(from: text, format: .csv)
        #expect(skipped.isEmpty)
        #expect(catalog.tracks.map(\.title) == ["Hello, World", "Two; \"Lines\"", "Björk-ish"])
        #expect(catalog.artists.count == 2 && catalog.albums.count == 2)
        #expect(catalog.tracks[0].albumTitle == "First \"Album\"" && catalog.tracks[0].durationMs == 225_000)
        #expect(catalog.tracks[0].isrc == "USRC17607839" && catalog.tracks[0].explicit && catalog.tracks[0].genres == ["pop", "indie"])
        #expect(catalog.tracks[1].trackNumber == 2, "track numbers follow file order within an album")
        #expect(catalog.tracks[2].durationMs == 3_723_000)
        // Stable IDs: the same names give the same IDs in another import.
        let again = try CatalogImporter.catalog(from: text, format: .csv).catalog
        #expect(again.tracks.map(\.id) == catalog.tracks.map(\.id))
    }

    @Test("every bad row is reported with its line and field; nothing is returned")
    func badRows() {
        let text = Self.header + """
            Good,A,B,3:00,2000,,,,
            ,A,B,3:00,2000,,,,
            Bad year,A,B,3:00,20x0,,,,
            Bad duration,A,B,3:75,2000,,,,
            Too popular,A,B,3:00,2000,,101,,
            Bad flag,A,B,3:00,2000,,,maybe,
            Bad isrc,A,B,3:00,2000,,,,XX
            Short,A,B
            """
        #expect {
            _ = try CatalogImporter.catalog(from: text, format: .csv)
        } throws: { error in
            guard let error = error as? CatalogImportError else { return false }
            let found = error.problems.map { "\($0.line):\($0.field ?? "-")" }
            return found == ["3:title", "4:release_year", "5:duration", "6:popularity", "7:explicit", "8:isrc", "9:-"]
                && error.description.contains("line 4, release_year: must be a whole number")
        }
    }

    @Test("skipping bad rows returns the good ones and lists the rest")
    func skipping() throws {
        let text = Self.header + "Good,A,B,3:00,2000,,,,\nBad,A,B,,2000,,,,\n"
        let (catalog, skipped) = try CatalogImporter.catalog(from: text, format: .csv, skippingBadRows: true)
        #expect(catalog.tracks.map(\.title) == ["Good"])
        #expect(skipped.map(\.line) == [3])
    }

    @Test("JSON Lines: typed values, arrays, nulls, and clear errors")
    func jsonLines() throws {
        let text = """
            {"title": "Uno", "artist": "Nico Alves", "album": "Rosa", "duration_ms": 201000, "release_year": 2019, "genres": ["latin", "pop"], "explicit": true}
            {"title": "Dos", "artist": "Nico Alves", "album": "Rosa", "duration_ms": 180500, "release_year": 2019, "isrc": null}

            """
        let catalog = try CatalogImporter.catalog(from: text, format: .jsonLines).catalog
        #expect(catalog.tracks.map(\.title) == ["Uno", "Dos"])
        #expect(catalog.tracks[0].genres == ["latin", "pop"] && catalog.tracks[0].explicit && catalog.tracks[1].isrc == nil)
        let bad = """
            {"title": "x", "artist": "y", "album": "z", "duration_ms": 1.5, "release_year": 2019}
            not json
            {"title": ["x"], "artist": "y", "album": "z", "duration_ms": 1000, "release_year": 2019}
            {"title": "x", "artist": "y", "album": "z", "duration_ms": 1000, "release_year": 2019, "genres": [1]}
            """
        #expect {
            _ = try CatalogImporter.catalog(from: bad, format: .jsonLines)
        } throws: { error in
            (error as? CatalogImportError)?.problems.map(\.line) == [1, 2, 3, 4]
        }
    }

    @Test("contradictions: one artist ID with two names, a repeated track ID")
    func contradictions() {
        let text = "id,title,artist,artist_id,album,duration_ms,release_year\n"
            + "t1,A,Alpha,ar_1,X,1000,2000\n" + "t2,B,Beta,ar_1,Y,1000,2000\n" + "t1,C,Alpha,ar_1,X,1000,2000\n"
        #expect {
            _ = try CatalogImporter.catalog(from: text, format: .csv)
        } throws: { error in
            (error as? CatalogImportError)?.problems.map { "\($0.line):\($0.field ?? "-")" } == ["3:artist", "4:id"]
        }
    }

    @Test("the CSV reader: quoted line breaks, CRLF, empty fields, blank lines, and the line each record starts on")
    func csvReader() throws {
        let records = try CSVReader.records(in: "a,\"b\nc\",d\r\n\r\n,,\n\"x\"\"y\",z")
        #expect(records.map(\.fields) == [["a", "b\nc", "d"], ["", "", ""], ["x\"y", "z"]])
        #expect(records.map(\.line) == [1, 4, 5])
        // A line break inside a name is still a bad row for the importer: names are one line.
        #expect(throws: CatalogImportError.self) {
            _ = try CatalogImporter.catalog(from: Self.header + "\"Two\nLines\",A,B,3:00,2000,,,,\n", format: .csv)
        }
    }

    @Test("CSV syntax errors name their line")
    func syntax() {
        #expect(throws: CatalogImportError.self) { _ = try CatalogImporter.catalog(from: Self.header + "\"open,A\n", format: .csv) }
        #expect(throws: CatalogImportError.self) { _ = try CatalogImporter.catalog(from: "", format: .csv) }
    }
}
