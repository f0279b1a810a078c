/// Builds realistic, deterministic fixtures: the same values on every run.
struct FixtureFactory {
    private var random = SplitMix64(seed: 0x5EED_A0D0_71C5)

    private static let titles = [
        "Hoppípolla", "Für Elise (Live à Paris)", "夜に駆ける", "Sonne über Köln", "Déjà vu",
        "Mañana será bonito", "Svefn-g-englar", "Ça plane pour moi", "Bésame mucho", "Smells Like Teen Spirit",
        "Кино — Группа крови", "Jóga", "Naïve Melody (This Must Be the Place)", "Café del Mar", "Águas de Março",
    ]
    private static let artists = [
        "Sigur Rós", "Beyoncé", "Mø", "Röyksopp", "YOASOBI", "Björk", "Motörhead", "Céline Dion",
        "Antônio Carlos Jobim", "Talking Heads", "Nirvana", "Plastic Bertrand",
    ]
    private static let albums = [
        "Takk…", "Homogenic", "THE BOOK", "Melody A.M.", "Ágætis byrjun", "Speaking in Tongues",
        "Nevermind", "Elis & Tom", "Ace of Spades", "Renaissance",
    ]
    private static let genres = [
        "post-rock", "art-pop", "j-pop", "electronica", "bossa nova", "grunge", "new wave", "r&b",
        "chanson", "ambient", "synth-pop", "heavy metal",
    ]
    /// 2024-11-19T08:53:20Z, the base of every timestamp.
    private static let epoch: Int64 = 1_732_006_400

    /// One track; `number` makes its IDs unique.
    mutating func track(number: Int) -> TrackFixture {
        let genreCount = 2 + random.below(2)
        var genres: [String] = []
        while genres.count < genreCount {
            let genre = Self.genres[random.below(Self.genres.count)]
            if !genres.contains(genre) { genres.append(genre) }
        }
        let albumNumber = 100_000 + number / 12
        return TrackFixture(
            id: "trk_" + padded(12_345 + number, width: 7),
            title: Self.titles[random.below(Self.titles.count)],
            artistID: "art_" + padded(4_000 + number / 40, width: 7),
            artistName: Self.artists[random.below(Self.artists.count)],
            albumID: "alb_" + padded(albumNumber, width: 7),
            albumTitle: Self.albums[random.below(Self.albums.count)],
            durationMs: Int32(120_000 + random.below(300_000)),
            genres: genres,
            releaseYear: Int32(1965 + random.below(60)),
            popularity: Int32(random.below(101)),
            trackNumber: Int32(1 + number % 12),
            discNumber: Int32(1 + random.below(2)),
            explicit: random.below(5) == 0,
            isrc: isrc()
        )
    }

    /// A playlist page of `itemCount` items with their tracks.
    mutating func playlist(itemCount: Int) -> PlaylistFixture {
        var items: [PlaylistItemFixture] = []
        items.reserveCapacity(itemCount)
        for position in 0..<itemCount {
            items.append(PlaylistItemFixture(
                position: Int32(position),
                track: track(number: position * 7),
                addedAt: timestamp(offset: 3_600 * position),
                addedByUserID: random.below(4) == 0 ? "usr_0000779" : "usr_0000042"
            ))
        }
        return PlaylistFixture(
            id: "pl_0004711",
            ownerID: "usr_0000042",
            ownerDisplayName: "Zoë Ångström",
            name: "Läuft gerade 🎧",
            description: "Songs für lange Zugfahrten — von Reykjavík bis Lisboa.",
            visibility: 2,
            collaborative: true,
            snapshotID: hex(count: 32),
            totalDurationMs: items.reduce(0) { $0 + Int64($1.track.durationMs) },
            createdAt: timestamp(offset: 0),
            updatedAt: timestamp(offset: 3_600 * itemCount),
            items: items,
            nextItemsPageToken: "eyJwbCI6InBsXzAwMDQ3MTEiLCJwb3MiOjIwMH0"
        )
    }

    /// A batch of `count` listening events from one session.
    mutating func events(count: Int) -> [EventFixture] {
        let sessionID = uuid()
        let deviceID = "dev_" + hex(count: 16)
        var events: [EventFixture] = []
        events.reserveCapacity(count)
        for index in 0..<count {
            let type = Int32(1 + random.below(7))
            let source = Int32(1 + random.below(8))
            let playlistID = type == 7 || source == 1 ? "pl_" + padded(4_700 + random.below(50), width: 7) : ""
            events.append(EventFixture(
                eventID: uuid(),
                type: type,
                trackID: "trk_" + padded(12_345 + random.below(5_000), width: 7),
                occurredAt: timestamp(offset: 17 * index),
                positionMs: Int32(random.below(360_000)),
                context: ContextFixture(
                    source: source,
                    sourceID: source == 1 ? playlistID : "alb_" + padded(100_000 + random.below(400), width: 7),
                    deviceType: 2,
                    deviceID: deviceID,
                    sessionID: sessionID
                ),
                playlistID: type == 7 ? playlistID : ""
            ))
        }
        return events
    }

    private mutating func timestamp(offset: Int) -> TimestampFixture {
        TimestampFixture(seconds: Self.epoch + Int64(offset), nanos: Int32(random.below(1_000)) * 1_000_000)
    }

    /// A lowercase UUID string (version 4 layout).
    private mutating func uuid() -> String {
        let digits = hex(count: 32)
        var result = ""
        for (index, character) in digits.enumerated() {
            if [8, 12, 16, 20].contains(index) { result.append("-") }
            result.append(index == 12 ? "4" : character)
        }
        return result
    }

    /// An ISRC: country, registrant, year, designation, e.g. `USRC17607839`.
    private mutating func isrc() -> String {
        let countries = ["US", "GB", "IS", "JP", "DE", "FR", "BR"]
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var result = countries[random.below(countries.count)]
        for _ in 0..<3 { result.append(letters[random.below(letters.count)]) }
        result += padded(random.below(100), width: 2) + padded(random.below(100_000), width: 5)
        return result
    }

    private mutating func hex(count: Int) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<count).map { _ in digits[random.below(16)] })
    }

    private func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A small, fast, deterministic pseudo-random generator (SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
