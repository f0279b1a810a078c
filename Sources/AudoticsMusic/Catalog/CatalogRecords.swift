/// An artist as the catalog loader writes it.
public struct ArtistRecord: Hashable, Sendable {
    /// The artist's ID (`ar_…` for generated ones).
    public var id: String
    /// The artist's name.
    public var name: String
    /// Genres, most characteristic first.
    public var genres: [String]
    /// Popularity from 0 to 100.
    public var popularity: Int

    /// Creates a record.
    public init(id: String, name: String, genres: [String], popularity: Int) {
        self.id = id
        self.name = name
        self.genres = genres
        self.popularity = popularity
    }
}

/// An album as the catalog loader writes it.
public struct AlbumRecord: Hashable, Sendable {
    /// The album's ID (`al_…` for generated ones).
    public var id: String
    /// The album artist's ID.
    public var artistID: String
    /// The title.
    public var title: String
    /// The year of release.
    public var releaseYear: Int
    /// Genres.
    public var genres: [String]

    /// Creates a record.
    public init(id: String, artistID: String, title: String, releaseYear: Int, genres: [String]) {
        self.id = id
        self.artistID = artistID
        self.title = title
        self.releaseYear = releaseYear
        self.genres = genres
    }
}

/// A track as the catalog loader writes it.
public struct TrackRecord: Hashable, Sendable {
    /// The track's ID (`tr_…` for generated ones).
    public var id: String
    /// The album's ID.
    public var albumID: String
    /// The artist's ID.
    public var artistID: String
    /// The title.
    public var title: String
    /// The artist's name (copied for reads and search).
    public var artistName: String
    /// The album's title (copied for reads and search).
    public var albumTitle: String
    /// The length in milliseconds.
    public var durationMs: Int
    /// Genres.
    public var genres: [String]
    /// The year of release.
    public var releaseYear: Int
    /// Popularity from 0 to 100.
    public var popularity: Int
    /// The position on its disc, from 1.
    public var trackNumber: Int
    /// The disc, from 1.
    public var discNumber: Int
    /// Whether the lyrics are explicit.
    public var explicit: Bool
    /// The International Standard Recording Code (12 characters), if known.
    public var isrc: String?

    /// Creates a record.
    public init(
        id: String, albumID: String, artistID: String, title: String, artistName: String, albumTitle: String,
        durationMs: Int, genres: [String], releaseYear: Int, popularity: Int, trackNumber: Int, discNumber: Int,
        explicit: Bool, isrc: String?
    ) {
        self.id = id
        self.albumID = albumID
        self.artistID = artistID
        self.title = title
        self.artistName = artistName
        self.albumTitle = albumTitle
        self.durationMs = durationMs
        self.genres = genres
        self.releaseYear = releaseYear
        self.popularity = popularity
        self.trackNumber = trackNumber
        self.discNumber = discNumber
        self.explicit = explicit
        self.isrc = isrc
    }
}

/// A whole catalog, ready to load: every album's artist and every track's album are in it.
public struct Catalog: Sendable {
    /// The artists.
    public var artists: [ArtistRecord]
    /// The albums.
    public var albums: [AlbumRecord]
    /// The tracks.
    public var tracks: [TrackRecord]

    /// Creates a catalog.
    public init(artists: [ArtistRecord], albums: [AlbumRecord], tracks: [TrackRecord]) {
        self.artists = artists
        self.albums = albums
        self.tracks = tracks
    }
}
