/// Generates the demo catalog: artists with a few albums each, albums with a realistic number of tracks,
/// names built from word lists, genres that go together, durations around three and a half minutes, and
/// popularity that follows a long tail. Everything is a function of the seed: the same seed and size give the
/// same catalog, byte for byte, on every machine.
public struct CatalogGenerator: Sendable {
    /// The seed.
    public var seed: UInt64
    /// How many tracks to make (at least; the last album is completed).
    public var trackCount: Int

    /// Creates a generator; the demo catalog is `trackCount: 50_000`.
    public init(seed: UInt64 = 1, trackCount: Int = 50_000) {
        precondition(trackCount > 0, "a catalog needs at least one track")
        self.seed = seed
        self.trackCount = trackCount
    }

    /// Makes the catalog.
    public func generate() -> Catalog {
        var random = SeededRandom(seed: seed)
        var artists: [ArtistRecord] = []
        var albums: [AlbumRecord] = []
        var tracks: [TrackRecord] = []
        tracks.reserveCapacity(trackCount + 40)
        var usedArtistNames: Set<String> = []
        while tracks.count < trackCount {
            let artistIndex = artists.count
            let artist = makeArtist(index: artistIndex, random: &random, used: &usedArtistNames)
            artists.append(artist)
            let albumCount = random.int(in: 1...4)
            var year = random.int(in: 1962...2022)
            for _ in 0..<albumCount where tracks.count < trackCount {
                let album = makeAlbum(index: albums.count, artist: artist, year: year, random: &random)
                albums.append(album)
                let discs = random.chance(0.05) ? 2 : 1
                for disc in 1...discs {
                    let count = random.int(in: 7...14)
                    for number in 1...count {
                        tracks.append(makeTrack(
                            index: tracks.count, artist: artist, album: album, disc: disc, number: number, random: &random))
                    }
                }
                year = min(year + random.int(in: 1...4), 2025)
            }
        }
        return Catalog(artists: artists, albums: albums, tracks: tracks)
    }

    // MARK: Records

    private func makeArtist(index: Int, random: inout SeededRandom, used: inout Set<String>) -> ArtistRecord {
        var name = artistName(random: &random)
        if used.contains(name) { name += " \(romanNumeral(used.count % 7 + 2))" }
        if used.contains(name) { name += " (\(index))" }
        used.insert(name)
        let primary = random.pick(CatalogWords.genres)
        var genres = [primary]
        let neighbours = CatalogWords.neighbours[primary] ?? []
        for _ in 0..<random.int(in: 0...2) {
            let genre = random.pick(neighbours)
            if !genres.contains(genre) { genres.append(genre) }
        }
        // A long tail: most artists are little known, a few are famous.
        let popularity = Int((100 * pow(random.unit(), 2.2)).rounded())
        return ArtistRecord(id: Self.id("ar", seed: seed, index: index), name: name, genres: genres, popularity: popularity)
    }

    private func makeAlbum(index: Int, artist: ArtistRecord, year: Int, random: inout SeededRandom) -> AlbumRecord {
        AlbumRecord(
            id: Self.id("al", seed: seed, index: index), artistID: artist.id, title: albumTitle(random: &random),
            releaseYear: year, genres: artist.genres)
    }

    private func makeTrack(
        index: Int, artist: ArtistRecord, album: AlbumRecord, disc: Int, number: Int, random: inout SeededRandom
    ) -> TrackRecord {
        // Durations: mostly 2:30–5:00, now and then a short interlude or a long epic.
        var seconds = random.normal(mean: 215, deviation: 45)
        if random.chance(0.03) { seconds = Double(random.int(in: 45...110)) }
        if random.chance(0.02) { seconds = Double(random.int(in: 420...900)) }
        let durationMs = max(30_000, Int(seconds * 1000)) + random.int(in: 0...999)
        let spread = random.int(in: -15...10)
        let popularity = min(100, max(0, artist.popularity + spread - (number > 3 ? random.int(in: 0...12) : 0)))
        let registrant = String((0..<3).map { _ in Self.alphanumerics[random.int(in: 0...35)] })
        let isrc = random.pick(CatalogWords.countryCodes) + registrant
            + String(format2: album.releaseYear % 100) + String(format5: index % 100_000)
        return TrackRecord(
            id: Self.id("tr", seed: seed, index: index), albumID: album.id, artistID: artist.id,
            title: trackTitle(random: &random), artistName: artist.name, albumTitle: album.title,
            durationMs: durationMs, genres: album.genres, releaseYear: album.releaseYear, popularity: popularity,
            trackNumber: number, discNumber: disc, explicit: random.chance(0.12), isrc: isrc)
    }

    // MARK: Names

    private func artistName(random: inout SeededRandom) -> String {
        let words = CatalogWords.self
        switch random.int(in: 0...9) {
        case 0...3: return "\(random.pick(words.firstNames)) \(random.pick(words.lastNames))"
        case 4...5: return "The \(random.pick(words.adjectives)) \(random.pick(words.pluralNouns))"
        case 6: return "\(random.pick(words.firstNames)) & the \(random.pick(words.pluralNouns))"
        case 7: return "\(random.pick(words.adjectives)) \(random.pick(words.nouns))"
        case 8: return "\(random.pick(words.nouns)) of \(random.pick(words.places))"
        default: return "\(random.pick(words.lastNames)) \(random.pick(words.nouns)) Club"
        }
    }

    private func albumTitle(random: inout SeededRandom) -> String {
        let words = CatalogWords.self
        switch random.int(in: 0...7) {
        case 0...1: return "\(random.pick(words.adjectives)) \(random.pick(words.nouns))"
        case 2: return "\(random.pick(words.nouns))s of \(random.pick(words.places))"
        case 3: return "Songs for the \(random.pick(words.adjectives)) \(random.pick(words.nouns))"
        case 4: return "\(random.pick(words.places)) \(random.pick(words.nouns))"
        case 5: return "The \(random.pick(words.nouns)) Sessions"
        case 6: return "\(random.pick(words.verbs)) \(random.pick(words.nouns))s"
        default: return random.pick(words.nouns)
        }
    }

    private func trackTitle(random: inout SeededRandom) -> String {
        let words = CatalogWords.self
        var title: String
        switch random.int(in: 0...9) {
        case 0...2: title = "\(random.pick(words.adjectives)) \(random.pick(words.nouns))"
        case 3: title = "\(random.pick(words.verbs)) in the \(random.pick(words.nouns))"
        case 4: title = "\(random.pick(words.nouns)) of \(random.pick(words.places))"
        case 5: title = "Your \(random.pick(words.nouns))"
        case 6: title = "\(random.pick(words.verbs)) \(random.pick(words.adjectives))"
        case 7: title = "\(random.pick(words.nouns)) & \(random.pick(words.nouns))"
        case 8: title = "Last \(random.pick(words.nouns)) in \(random.pick(words.places))"
        default: title = random.pick(words.nouns)
        }
        if random.chance(0.04) { title += " (Live)" } else if random.chance(0.04) { title += " (Remastered)" }
        return title
    }

    // MARK: Helpers

    private static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

    /// A stable, opaque ID: the prefix and 12 base-36 digits of a mix of the seed and the index.
    static func id(_ prefix: String, seed: UInt64, index: Int) -> String {
        var mixer = SeededRandom(seed: seed &* 0x1000_0000_01B3 ^ UInt64(index) &+ UInt64(prefix.utf8.first ?? 0) << 56)
        var value = mixer.next()
        var digits = ""
        for _ in 0..<12 {
            digits.append(alphanumerics[Int(value % 36)])
            value /= 36
        }
        return "\(prefix)_\(digits.lowercased())"
    }

    private func romanNumeral(_ value: Int) -> String {
        ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][min(value, 9)]
    }
}

extension String {
    /// `value` as two digits, zero-padded.
    fileprivate init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }

    /// `value` as five digits, zero-padded.
    fileprivate init(format5 value: Int) {
        let text = String(value)
        self = String(repeating: "0", count: Swift.max(0, 5 - text.count)) + text
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
