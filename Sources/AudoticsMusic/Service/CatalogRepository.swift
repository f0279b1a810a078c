public import AudoticsAPI

/// Where MusicService reads the catalog and listening history. The PostgreSQL implementation is
/// `PostgresCatalogRepository`; tests may use others. Every call takes the RPC's deadline, for the database's
/// statement timeout.
public protocol CatalogRepository: Sendable {
    /// One track, or `nil`.
    func track(id: String, deadline: ContinuousClock.Instant?) async throws -> Track?

    /// The tracks that exist among `ids`, by ID.
    func tracks(ids: [String], deadline: ContinuousClock.Instant?) async throws -> [String: Track]

    /// A page of search results, best first, and the number of matches (capped at `CatalogSearch.maxMatches`).
    func search(_ search: CatalogSearch, deadline: ContinuousClock.Instant?) async throws -> (tracks: [Track], total: Int)

    /// One artist with their top tracks and albums, or `nil`.
    func artist(id: String, deadline: ContinuousClock.Instant?) async throws -> Artist?

    /// One album with its tracks, or `nil`.
    func album(id: String, deadline: ContinuousClock.Instant?) async throws -> Album?

    /// A page of a user's history, newest first, starting after `cursor` (keyset paging).
    func history(_ query: HistoryQuery, deadline: ContinuousClock.Instant?) async throws -> [HistoryEntry]
}

/// A catalog search.
public struct CatalogSearch: Sendable, Hashable {
    /// The most matches a search counts and pages through.
    public static let maxMatches = 10_000

    /// Free text (may be empty when `genre` is given).
    public var query: String
    /// A genre to filter by, lower case (empty for any).
    public var genre: String
    /// How many results to skip.
    public var offset: Int
    /// How many results to return.
    public var limit: Int

    /// Creates a search.
    public init(query: String, genre: String, offset: Int, limit: Int) {
        self.query = query
        self.genre = genre
        self.offset = offset
        self.limit = limit
    }
}

/// A page of listening history.
public struct HistoryQuery: Sendable, Hashable {
    /// The user.
    public var userID: String
    /// Only plays at or after this time (Unix microseconds), if given.
    public var start: Int64?
    /// Only plays before this time (Unix microseconds), if given.
    public var end: Int64?
    /// Continue after this play: its time (Unix microseconds) and ID.
    public var after: HistoryCursor?
    /// How many entries.
    public var limit: Int

    /// Creates a query.
    public init(userID: String, start: Int64?, end: Int64?, after: HistoryCursor?, limit: Int) {
        self.userID = userID
        self.start = start
        self.end = end
        self.after = after
        self.limit = limit
    }
}

/// Where a history page ends: the last play's time and ID.
public struct HistoryCursor: Codable, Sendable, Hashable {
    /// Unix microseconds.
    public var playedAt: Int64
    /// The play's ID.
    public var playID: String

    /// Creates a cursor.
    public init(playedAt: Int64, playID: String) {
        self.playedAt = playedAt
        self.playID = playID
    }
}
