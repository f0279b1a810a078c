@testable import AudoticsMusic
import Testing

@Suite("Demo catalog generator")
struct CatalogGeneratorTests {
    static let catalog = CatalogGenerator(seed: 7, trackCount: 50_000).generate()

    @Test("makes at least 50,000 tracks whose albums and artists all exist, with unique IDs")
    func integrity() {
        let catalog = Self.catalog
        #expect(catalog.tracks.count >= 50_000)
        #expect(catalog.tracks.count < 50_100)
        let artistIDs = Set(catalog.artists.map(\.id))
        let albums = Dictionary(uniqueKeysWithValues: catalog.albums.map { ($0.id, $0) })
        #expect(artistIDs.count == catalog.artists.count)
        #expect(albums.count == catalog.albums.count)
        #expect(Set(catalog.tracks.map(\.id)).count == catalog.tracks.count)
        #expect(Set(catalog.artists.map(\.name)).count == catalog.artists.count, "artist names are unique")
        for album in catalog.albums { #expect(artistIDs.contains(album.artistID)) }
        for track in catalog.tracks {
            guard let album = albums[track.albumID] else {
                Issue.record("track \(track.id) has no album")
                return
            }
            #expect(album.artistID == track.artistID && album.title == track.albumTitle && album.releaseYear == track.releaseYear)
        }
    }

    @Test("fields are realistic: durations, years, popularity, genres, ISRCs, track numbers")
    func realism() {
        let tracks = Self.catalog.tracks
        #expect(tracks.allSatisfy { (30_000...901_000).contains($0.durationMs) })
        let median = tracks.map(\.durationMs).sorted()[tracks.count / 2]
        #expect((180_000...250_000).contains(median), "median duration \(median) ms")
        #expect(tracks.allSatisfy { (1962...2025).contains($0.releaseYear) && (0...100).contains($0.popularity) })
        #expect(tracks.allSatisfy { !$0.genres.isEmpty && $0.genres.allSatisfy(CatalogWords.genres.contains) })
        #expect(tracks.allSatisfy { $0.isrc.map { $0.utf8.count == 12 } ?? false })
        #expect(tracks.allSatisfy { (1...14).contains($0.trackNumber) && (1...2).contains($0.discNumber) })
        let explicitShare = Double(tracks.filter(\.explicit).count) / Double(tracks.count)
        #expect((0.08...0.16).contains(explicitShare))
        // A long tail: most artists are little known.
        let artists = Self.catalog.artists
        #expect(artists.filter { $0.popularity < 30 }.count > artists.filter { $0.popularity >= 70 }.count * 2)
        #expect(Set(tracks.map(\.title)).count > 5_000, "titles vary")
        #expect(Self.catalog.artists.contains { $0.name.unicodeScalars.contains { !$0.isASCII } }, "some names are not ASCII")
    }

    @Test("the same seed gives the same catalog; another seed a different one")
    func determinism() {
        let first = CatalogGenerator(seed: 42, trackCount: 2_000).generate()
        let second = CatalogGenerator(seed: 42, trackCount: 2_000).generate()
        let other = CatalogGenerator(seed: 43, trackCount: 2_000).generate()
        #expect(first.tracks == second.tracks && first.albums == second.albums && first.artists == second.artists)
        #expect(first.tracks.map(\.id) != other.tracks.map(\.id))
        #expect(first.tracks.map(\.title) != other.tracks.map(\.title))
        // Pinned values: a change to the generator that alters the demo catalog shows up here.
        #expect(first.tracks[0].id == CatalogGenerator.id("tr", seed: 42, index: 0))
    }
}
