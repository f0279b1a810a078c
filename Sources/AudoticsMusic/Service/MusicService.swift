public import AudoticsAPI
import AudoticsAuth
public import AudoticsRPC
import AudoticsServiceSupport
import AudoticsWellKnownTypes
import Foundation

/// `audotics.v1.MusicService`: the catalog and the caller's listening history, read through a
/// `CatalogRepository`. Validates every request (INVALID_ARGUMENT with field violations), pages with opaque
/// tokens bound to their query, and maps missing rows to NOT_FOUND. Limits are the proto's: IDs at most 64
/// bytes, 100 IDs per batch, search text at most 200 characters, pages of 1–50 search results (default 20) and
/// 1–200 history entries (default 50), search offsets below 10,000.
public struct MusicService: MusicServiceProtocol {
    /// Where the catalog is read.
    public let repository: any CatalogRepository

    /// Creates the service.
    public init(repository: any CatalogRepository) {
        self.repository = repository
    }

    static let maxBatch = 100
    static let maxQueryLength = 200
    static let defaultSearchPage = 20
    static let maxSearchPage = 50
    static let defaultHistoryPage = 50
    static let maxHistoryPage = 200

    public func getTrack(request: GetTrackRequest, context: ServerContext) async throws -> Track {
        var violations = FieldViolations()
        violations.checkID(request.trackID, "track_id")
        try violations.throwIfAny()
        guard let track = try await repository.track(id: request.trackID, deadline: context.deadline) else {
            throw RPCError(code: .notFound, message: "no track with ID \(request.trackID)")
        }
        return track
    }

    public func batchGetTracks(request: BatchGetTracksRequest, context: ServerContext) async throws -> BatchGetTracksResponse {
        var violations = FieldViolations()
        violations.check(!request.trackIDs.isEmpty, "track_ids", .required, "needs at least one ID")
        violations.check(request.trackIDs.count <= Self.maxBatch, "track_ids", .tooMany, "has more than \(Self.maxBatch) IDs")
        for (index, id) in request.trackIDs.enumerated().prefix(Self.maxBatch) {
            violations.checkID(id, "track_ids[\(index)]")
        }
        try violations.throwIfAny()
        var unique: [String] = []
        var seen: Set<String> = []
        for id in request.trackIDs where seen.insert(id).inserted { unique.append(id) }
        let found = try await repository.tracks(ids: unique, deadline: context.deadline)
        return .with { response in
            // The order asked, repeats included; each missing ID reported once.
            response.tracks = request.trackIDs.compactMap { found[$0] }
            response.missingIDs = unique.filter { found[$0] == nil }
        }
    }

    public func searchTracks(request: SearchTracksRequest, context: ServerContext) async throws -> SearchTracksResponse {
        let query = request.query.trimmingCharacters(in: .whitespaces)
        let genre = request.genre.trimmingCharacters(in: .whitespaces).lowercased()
        var violations = FieldViolations()
        violations.check(!query.isEmpty || !genre.isEmpty, "query", .required, "or genre is required")
        violations.check(query.count <= Self.maxQueryLength, "query", .tooLong, "must have at most \(Self.maxQueryLength) characters")
        violations.check(genre.count <= 50, "genre", .tooLong, "must have at most 50 characters")
        violations.check(
            (0...Int32(Self.maxSearchPage)).contains(request.pageSize), "page_size", .outOfRange,
            "must be between 0 and \(Self.maxSearchPage) (0 means \(Self.defaultSearchPage))")
        try violations.throwIfAny()
        let scope = "search|\(query)|\(genre)"
        let offset = try PageToken<Int>.decode(request.pageToken, scope: scope) ?? 0
        guard (0..<CatalogSearch.maxMatches).contains(offset) else {
            var bad = FieldViolations()
            bad.add("page_token", .outOfRange, "points past the last page")
            throw bad.error
        }
        let limit = request.pageSize == 0 ? Self.defaultSearchPage : Int(request.pageSize)
        let (tracks, total) = try await repository.search(
            CatalogSearch(query: query, genre: genre, offset: offset, limit: limit), deadline: context.deadline)
        return .with { response in
            response.tracks = tracks
            response.totalSize = Int32(total)
            let next = offset + tracks.count
            if tracks.count == limit, next < min(total, CatalogSearch.maxMatches) {
                response.nextPageToken = PageToken(cursor: next, scope: scope).encoded
            }
        }
    }

    public func getArtist(request: GetArtistRequest, context: ServerContext) async throws -> Artist {
        var violations = FieldViolations()
        violations.checkID(request.artistID, "artist_id")
        try violations.throwIfAny()
        guard let artist = try await repository.artist(id: request.artistID, deadline: context.deadline) else {
            throw RPCError(code: .notFound, message: "no artist with ID \(request.artistID)")
        }
        return artist
    }

    public func getAlbum(request: GetAlbumRequest, context: ServerContext) async throws -> Album {
        var violations = FieldViolations()
        violations.checkID(request.albumID, "album_id")
        try violations.throwIfAny()
        guard let album = try await repository.album(id: request.albumID, deadline: context.deadline) else {
            throw RPCError(code: .notFound, message: "no album with ID \(request.albumID)")
        }
        return album
    }

    public func listHistory(request: ListHistoryRequest, context: ServerContext) async throws -> ListHistoryResponse {
        let principal = try Principal.required()
        var violations = FieldViolations()
        violations.check(
            (0...Int32(Self.maxHistoryPage)).contains(request.pageSize), "page_size", .outOfRange,
            "must be between 0 and \(Self.maxHistoryPage) (0 means \(Self.defaultHistoryPage))")
        let start = request.startTime?.unixMicroseconds
        let end = request.endTime?.unixMicroseconds
        if let start, let end { violations.check(start <= end, "start_time", .outOfRange, "must not be after end_time") }
        try violations.throwIfAny()
        let scope = "history|\(principal.userID)|\(start.map(String.init) ?? "")|\(end.map(String.init) ?? "")"
        let after = try PageToken<HistoryCursor>.decode(request.pageToken, scope: scope)
        let limit = request.pageSize == 0 ? Self.defaultHistoryPage : Int(request.pageSize)
        let entries = try await repository.history(
            HistoryQuery(userID: principal.userID, start: start, end: end, after: after, limit: limit + 1),
            deadline: context.deadline)
        return .with { response in
            response.entries = Array(entries.prefix(limit))
            if entries.count > limit, let last = response.entries.last, let playedAt = last.playedAt {
                response.nextPageToken = PageToken(
                    cursor: HistoryCursor(playedAt: playedAt.unixMicroseconds, playID: last.playID), scope: scope
                ).encoded
            }
        }
    }
}
