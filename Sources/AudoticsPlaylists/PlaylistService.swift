public import AudoticsAPI
import AudoticsAuth
public import AudoticsPostgres
public import AudoticsRPC
import AudoticsServiceSupport
import AudoticsTLS
import AudoticsWellKnownTypes
import Foundation

/// `audotics.v1.PlaylistService` on PostgreSQL's playlists schema, asking MusicService (`TrackLookup`) about
/// tracks.
///
/// Every change runs in one transaction that locks the playlist's row first (`SELECT … FOR UPDATE`): writers to one
/// playlist are serialised, so with many concurrent clients no update is lost, positions stay 0…n-1, and the
/// expected-snapshot check sees the truth. Limits: 10,000 items per playlist, 100 tracks per add or remove, 1,000
/// playlists per owner, item pages of at most 500, list pages of at most 100.
public struct PlaylistService: PlaylistServiceProtocol {
    let pool: PostgresPool
    let tracks: any TrackLookup

    static let maxItems = 10_000
    static let maxPerCall = 100
    static let maxPlaylistsPerOwner = 1_000

    /// Creates the service.
    public init(pool: PostgresPool, tracks: any TrackLookup) {
        self.pool = pool
        self.tracks = tracks
    }

    // MARK: Create, read, list

    public func createPlaylist(request: CreatePlaylistRequest, context: ServerContext) async throws -> CreatePlaylistResponse {
        let principal = try Principal.required()
        let caller = principal.userID
        var violations = FieldViolations()
        violations.checkText(request.name.trimmingCharacters(in: .whitespaces), "name", length: 1...100)
        violations.checkText(request.description, "description", length: 0...300)
        violations.check(request.visibility.rawValue >= 0 && request.visibility.rawValue <= 2, "visibility", .invalidValue, "is not a known visibility")
        Self.checkTrackIDs(request.trackIDs, allowEmpty: true, into: &violations)
        try violations.throwIfAny()
        let found = try await knownTracks(request.trackIDs, context: context)
        let id = try Self.newID()
        let visibility: Int32 = request.visibility.rawValue == 2 ? 2 : 1
        let record = try await transaction(context) { connection in
            let count = try await connection.query("SELECT count(*) FROM playlists.playlists WHERE owner_id = \(caller)")
            if try count.first?.decode(Int.self, column: 0) ?? 0 >= Self.maxPlaylistsPerOwner {
                throw PlaylistErrors.precondition("PLAYLIST_LIMIT", "you own \(Self.maxPlaylistsPerOwner) playlists already")
            }
            let durations = request.trackIDs.map { Int64(found[$0]?.durationMs ?? 0) }
            let rows = try await connection.query("""
                INSERT INTO playlists.playlists (id, owner_id, owner_display_name, name, description, visibility, collaborative, item_count, total_duration_ms)
                VALUES (\(id), \(caller), \(principal.displayName), \(request.name.trimmingCharacters(in: .whitespaces)), \(request.description), \(Int(visibility)),
                        \(request.collaborative), \(request.trackIDs.count), \(durations.reduce(0, +)))
                RETURNING \(unescaped: PlaylistRecord.columns)
                """)
            try await Self.insertItems(request.trackIDs, durations: durations, at: 0, playlistID: id, addedBy: caller, on: connection)
            return try PlaylistRecord(row: rows[0])
        }
        return .with {
            $0.snapshotID = record.snapshotID
            $0.playlist = record.message
        }
    }

    public func getPlaylist(request: GetPlaylistRequest, context: ServerContext) async throws -> GetPlaylistResponse {
        let caller = try Principal.required().userID
        var violations = FieldViolations()
        violations.checkID(request.playlistID, "playlist_id")
        violations.check((0...500).contains(request.itemsPageSize), "items_page_size", .outOfRange, "must be between 0 and 500 (0 means 100)")
        try violations.throwIfAny()
        let scope = "items|\(request.playlistID)"
        let cursor = try PageToken<ItemsCursor>.decode(request.itemsPageToken, scope: scope, field: "items_page_token")
        let limit = request.itemsPageSize == 0 ? 100 : Int(request.itemsPageSize)
        let offset = cursor?.offset ?? 0
        let results = try await pool.pipeline([
            "SELECT \(unescaped: PlaylistRecord.columns) FROM playlists.playlists WHERE id = \(request.playlistID)",
            """
            SELECT position, track_id, (extract(epoch FROM added_at) * 1000000)::bigint, added_by
            FROM playlists.items WHERE playlist_id = \(request.playlistID) AND position >= \(offset)
            ORDER BY position LIMIT \(limit)
            """,
        ], deadline: context.deadline)
        guard let row = results[0].first, case let record = try PlaylistRecord(row: row), record.isVisible(to: caller) else {
            throw PlaylistErrors.notFound(request.playlistID)
        }
        if let cursor, cursor.version != record.version {
            throw RPCError(code: .aborted, message: "the playlist changed since the previous page: start again from the first page")
        }
        let itemRows = results[1]
        let ids = try itemRows.map { try $0.decode(String.self, column: 1) }
        let details = try await tracks.tracks(ids: Array(Set(ids)), context: context)
        return try .with { response in
            response.playlist = record.message
            response.items = try itemRows.map { item in
                let trackID = try item.decode(String.self, column: 1)
                return try .with {
                    $0.position = try item.decode(Int32.self, column: 0)
                    $0.trackID = trackID
                    if let track = details[trackID] { $0.track = track }
                    $0.addedAt = Timestamp(unixMicroseconds: try item.decode(Int64.self, column: 2))
                    $0.addedByUserID = try item.decode(String.self, column: 3)
                }
            }
            let next = offset + itemRows.count
            if next < record.itemCount {
                response.nextItemsPageToken = PageToken(cursor: ItemsCursor(offset: next, version: record.version), scope: scope).encoded
            }
        }
    }

    public func listPlaylists(request: ListPlaylistsRequest, context: ServerContext) async throws -> ListPlaylistsResponse {
        let caller = try Principal.required().userID
        var violations = FieldViolations()
        if !request.ownerID.isEmpty { violations.checkID(request.ownerID, "owner_id") }
        violations.check((0...100).contains(request.pageSize), "page_size", .outOfRange, "must be between 0 and 100 (0 means 20)")
        try violations.throwIfAny()
        let owner = request.ownerID.isEmpty ? caller : request.ownerID
        let onlyPublic = owner != caller
        let scope = "list|\(owner)|\(onlyPublic)"
        let after = try PageToken<ListCursor>.decode(request.pageToken, scope: scope)
        let limit = request.pageSize == 0 ? 20 : Int(request.pageSize)
        let results = try await pool.pipeline([
            """
            SELECT \(unescaped: PlaylistRecord.columns) FROM playlists.playlists
            WHERE owner_id = \(owner) AND (NOT \(onlyPublic) OR visibility = 2)
              AND (\(after?.updatedAt)::bigint IS NULL
                   OR ((extract(epoch FROM updated_at) * 1000000)::bigint, id) < (\(after?.updatedAt)::bigint, \(after?.id ?? "")))
            ORDER BY (extract(epoch FROM updated_at) * 1000000)::bigint DESC, id DESC
            LIMIT \(limit + 1)
            """,
            "SELECT count(*) FROM playlists.playlists WHERE owner_id = \(owner) AND (NOT \(onlyPublic) OR visibility = 2)",
        ], deadline: context.deadline)
        let records = try results[0].map(PlaylistRecord.init(row:))
        return try .with { response in
            response.playlists = records.prefix(limit).map(\.message)
            response.totalSize = Int32(try results[1].first?.decode(Int.self, column: 0) ?? 0)
            if records.count > limit, let last = records.prefix(limit).last {
                response.nextPageToken = PageToken(cursor: ListCursor(updatedAt: last.updatedAt, id: last.id), scope: scope).encoded
            }
        }
    }

    // MARK: Details

    public func updatePlaylist(request: UpdatePlaylistRequest, context: ServerContext) async throws -> UpdatePlaylistResponse {
        let principal = try Principal.required()
        let caller = principal.userID
        // The owner's display name as their token has it now (an empty one, from a token without the claim, keeps it).
        let ownerName: String? = principal.displayName.isEmpty ? nil : principal.displayName
        let playlist = request.playlist ?? Playlist()
        var violations = FieldViolations()
        violations.checkID(request.playlistID, "playlist_id")
        var paths = request.updateMask?.paths ?? []
        if paths.isEmpty {
            if !playlist.name.isEmpty { paths.append("name") }
            if !playlist.description.isEmpty { paths.append("description") }
            if playlist.visibility.rawValue != 0 { paths.append("visibility") }
            if playlist.collaborative { paths.append("collaborative") }
            violations.check(!paths.isEmpty, "update_mask", .required, "names no field to change, and playlist sets none")
        }
        var name: String?
        var description: String?
        var visibility: Int?
        var collaborative: Bool?
        for (index, path) in paths.enumerated() {
            switch path {
            case "name":
                name = playlist.name.trimmingCharacters(in: .whitespaces)
                violations.checkText(name ?? "", "playlist.name", length: 1...100)
            case "description":
                description = playlist.description
                violations.checkText(playlist.description, "playlist.description", length: 0...300)
            case "visibility":
                violations.check((1...2).contains(playlist.visibility.rawValue), "playlist.visibility", .invalidValue, "must be PRIVATE or PUBLIC")
                visibility = Int(playlist.visibility.rawValue)
            case "collaborative":
                collaborative = playlist.collaborative
            default:
                violations.add("update_mask.paths[\(index)]", .invalidValue, "\"\(path.prefix(40))\" cannot be updated (name, description, visibility, collaborative)")
            }
        }
        try violations.throwIfAny()
        let record = try await mutate(request.playlistID, caller: caller, expected: request.expectedSnapshotID, ownerOnly: true, context: context) { connection, _ in
            _ = try await connection.query("""
                UPDATE playlists.playlists
                SET name = coalesce(\(name), name), description = coalesce(\(description), description),
                    visibility = coalesce(\(visibility)::smallint, visibility), collaborative = coalesce(\(collaborative), collaborative),
                    owner_display_name = coalesce(\(ownerName), owner_display_name)
                WHERE id = \(request.playlistID)
                """)
            return (Int?.none, true)
        }.record
        return .with {
            $0.snapshotID = record.snapshotID
            $0.playlist = record.message
        }
    }

    public func deletePlaylist(request: DeletePlaylistRequest, context: ServerContext) async throws -> DeletePlaylistResponse {
        let caller = try Principal.required().userID
        var violations = FieldViolations()
        violations.checkID(request.playlistID, "playlist_id")
        try violations.throwIfAny()
        let snapshot = try await transaction(context) { connection in
            let record = try await Self.lock(request.playlistID, caller: caller, expected: request.expectedSnapshotID, ownerOnly: true, on: connection)
            _ = try await connection.query("DELETE FROM playlists.playlists WHERE id = \(request.playlistID)")
            return record.snapshotID
        }
        return .with { $0.snapshotID = snapshot }
    }

    // MARK: Items

    public func addTracks(request: AddTracksRequest, context: ServerContext) async throws -> AddTracksResponse {
        let caller = try Principal.required().userID
        var violations = FieldViolations()
        violations.checkID(request.playlistID, "playlist_id")
        Self.checkTrackIDs(request.trackIDs, allowEmpty: false, into: &violations)
        if let position = request.position { violations.check(position >= 0, "position", .outOfRange, "must not be negative") }
        try violations.throwIfAny()
        let found = try await knownTracks(request.trackIDs, context: context)
        let durations = request.trackIDs.map { Int64(found[$0]?.durationMs ?? 0) }
        let (position, record) = try await mutate(
            request.playlistID, caller: caller, expected: request.expectedSnapshotID, ownerOnly: false, context: context
        ) { connection, record in
            let position = Int(request.position ?? Int32(record.itemCount))
            guard position <= record.itemCount else {
                throw PlaylistErrors.outOfRange("position \(position) is past the end (the playlist has \(record.itemCount) items)")
            }
            guard record.itemCount + request.trackIDs.count <= Self.maxItems else {
                throw PlaylistErrors.precondition("PLAYLIST_FULL", "a playlist holds at most \(Self.maxItems) items")
            }
            if position < record.itemCount {
                _ = try await connection.query("""
                    UPDATE playlists.items SET position = position + \(request.trackIDs.count)
                    WHERE playlist_id = \(request.playlistID) AND position >= \(position)
                    """)
            }
            try await Self.insertItems(request.trackIDs, durations: durations, at: position, playlistID: request.playlistID, addedBy: caller, on: connection)
            _ = try await connection.query("""
                UPDATE playlists.playlists SET item_count = item_count + \(request.trackIDs.count),
                    total_duration_ms = total_duration_ms + \(durations.reduce(0, +)) WHERE id = \(request.playlistID)
                """)
            return (position, true)
        }
        return .with {
            $0.snapshotID = record.snapshotID
            $0.position = Int32(position ?? 0)
            $0.itemCount = Int32(record.itemCount)
        }
    }

    public func removeTracks(request: RemoveTracksRequest, context: ServerContext) async throws -> RemoveTracksResponse {
        let caller = try Principal.required().userID
        var violations = FieldViolations()
        violations.checkID(request.playlistID, "playlist_id")
        violations.check(!request.items.isEmpty, "items", .required, "needs at least one item")
        violations.check(request.items.count <= Self.maxPerCall, "items", .tooMany, "has more than \(Self.maxPerCall) items")
        var positions: Set<Int32> = []
        for (index, item) in request.items.enumerated().prefix(Self.maxPerCall) {
            violations.check(item.position >= 0, "items[\(index)].position", .outOfRange, "must not be negative")
            violations.check(positions.insert(item.position).inserted, "items[\(index)].position", .duplicate, "repeats another item's position")
            violations.checkID(item.trackID, "items[\(index)].track_id")
        }
        try violations.throwIfAny()
        let record = try await mutate(
            request.playlistID, caller: caller, expected: request.expectedSnapshotID, ownerOnly: false, context: context
        ) { connection, record in
            if let beyond = request.items.first(where: { Int($0.position) >= record.itemCount }) {
                throw PlaylistErrors.outOfRange("position \(beyond.position) is past the end (the playlist has \(record.itemCount) items)")
            }
            let wanted = request.items.map { Int($0.position) }
            let rows = try await connection.query("""
                SELECT position, track_id, duration_ms FROM playlists.items
                WHERE playlist_id = \(request.playlistID) AND position = ANY(\(wanted))
                """)
            var actual: [Int32: (String, Int64)] = [:]
            for row in rows { actual[try row.decode(Int32.self, column: 0)] = (try row.decode(String.self, column: 1), Int64(try row.decode(Int.self, column: 2))) }
            let mismatches = request.items.compactMap { item -> (Int32, String, String)? in
                let found = actual[item.position]?.0 ?? ""
                return found == item.trackID ? nil : (item.position, item.trackID, found)
            }
            if !mismatches.isEmpty { throw PlaylistErrors.trackMismatch(mismatches.map { ($0.0, $0.1, $0.2) }) }
            let removedDuration = actual.values.reduce(0) { $0 + $1.1 }
            _ = try await connection.pipeline([
                "DELETE FROM playlists.items WHERE playlist_id = \(request.playlistID) AND position = ANY(\(wanted))",
                """
                UPDATE playlists.items i SET position = n.dense
                FROM (SELECT position, (row_number() OVER (ORDER BY position) - 1)::int AS dense
                      FROM playlists.items WHERE playlist_id = \(request.playlistID)) n
                WHERE i.playlist_id = \(request.playlistID) AND i.position = n.position AND i.position <> n.dense
                """,
                """
                UPDATE playlists.playlists SET item_count = item_count - \(wanted.count),
                    total_duration_ms = total_duration_ms - \(removedDuration) WHERE id = \(request.playlistID)
                """,
            ])
            return (Int?.none, true)
        }.record
        return .with {
            $0.snapshotID = record.snapshotID
            $0.itemCount = Int32(record.itemCount)
        }
    }

    public func reorderTracks(request: ReorderTracksRequest, context: ServerContext) async throws -> ReorderTracksResponse {
        let caller = try Principal.required().userID
        var violations = FieldViolations()
        violations.checkID(request.playlistID, "playlist_id")
        violations.check(request.rangeStart >= 0, "range_start", .outOfRange, "must not be negative")
        violations.check(request.rangeLength >= 0, "range_length", .outOfRange, "must not be negative")
        violations.check(request.insertBefore >= 0, "insert_before", .outOfRange, "must not be negative")
        try violations.throwIfAny()
        let start = Int(request.rangeStart)
        let length = request.rangeLength == 0 ? 1 : Int(request.rangeLength)
        let before = Int(request.insertBefore)
        let record = try await mutate(
            request.playlistID, caller: caller, expected: request.expectedSnapshotID, ownerOnly: false, context: context
        ) { connection, record in
            guard start + length <= record.itemCount else {
                throw PlaylistErrors.outOfRange("the range \(start)..<\(start + length) runs past the end (\(record.itemCount) items)")
            }
            guard before <= record.itemCount else {
                throw PlaylistErrors.outOfRange("insert_before \(before) is past the end (\(record.itemCount) items)")
            }
            let end = start + length
            if before >= start && before <= end { return (Int?.none, false) }  // already there
            let (low, high, destination, shift) = before > end
                ? (start, before, before - length, -length) : (before, end, before, length)
            _ = try await connection.query("""
                UPDATE playlists.items SET position = CASE
                    WHEN position >= \(start) AND position < \(end) THEN position - \(start) + \(destination)
                    ELSE position + \(shift) END
                WHERE playlist_id = \(request.playlistID) AND position >= \(low) AND position < \(high)
                """)
            return (Int?.none, true)
        }.record
        return .with { $0.snapshotID = record.snapshotID }
    }

    // MARK: Helpers

    struct ItemsCursor: Codable, Sendable {
        var offset: Int
        var version: Int64
    }

    struct ListCursor: Codable, Sendable {
        var updatedAt: Int64
        var id: String
    }

    private func transaction<T: Sendable>(_ context: ServerContext, _ body: (PostgresPooledConnection) async throws -> T) async throws -> T {
        try await pool.withTransaction(deadline: context.deadline, body)
    }

    /// Locks the playlist, checks the caller's rights and expected snapshot, runs `body`, and bumps the version when
    /// `body` says it changed something. Returns `body`'s value and the playlist afterwards.
    private func mutate<T: Sendable>(
        _ id: String, caller: String, expected: String, ownerOnly: Bool, context: ServerContext,
        _ body: @escaping (PostgresPooledConnection, PlaylistRecord) async throws -> (T?, Bool)
    ) async throws -> (value: T?, record: PlaylistRecord) {
        try await transaction(context) { connection in
            let record = try await Self.lock(id, caller: caller, expected: expected, ownerOnly: ownerOnly, on: connection)
            let (value, changed) = try await body(connection, record)
            guard changed else { return (value, record) }
            let rows = try await connection.query("""
                UPDATE playlists.playlists SET version = version + 1, updated_at = now() WHERE id = \(id)
                RETURNING \(unescaped: PlaylistRecord.columns)
                """)
            return (value, try PlaylistRecord(row: rows[0]))
        }
    }

    private static func lock(
        _ id: String, caller: String, expected: String, ownerOnly: Bool, on connection: PostgresPooledConnection
    ) async throws -> PlaylistRecord {
        let rows = try await connection.query(
            "SELECT \(unescaped: PlaylistRecord.columns) FROM playlists.playlists WHERE id = \(id) FOR UPDATE")
        guard let row = rows.first, case let record = try PlaylistRecord(row: row), record.isVisible(to: caller) else {
            throw PlaylistErrors.notFound(id)
        }
        if ownerOnly && record.ownerID != caller { throw PlaylistErrors.notOwner() }
        if !ownerOnly && !record.canEditTracks(caller) { throw PlaylistErrors.cannotEdit() }
        if !expected.isEmpty && expected != record.snapshotID { throw PlaylistErrors.snapshotMismatch(current: record.snapshotID) }
        return record
    }

    private static func insertItems(
        _ trackIDs: [String], durations: [Int64], at position: Int, playlistID: String, addedBy: String,
        on connection: PostgresPooledConnection
    ) async throws {
        guard !trackIDs.isEmpty else { return }
        let positions = trackIDs.indices.map { position + $0 }
        _ = try await connection.query("""
            INSERT INTO playlists.items (playlist_id, position, track_id, duration_ms, added_by)
            SELECT \(playlistID), p, t, d, \(addedBy) FROM unnest(\(positions)::int[], \(trackIDs)::text[], \(durations)::bigint[]) AS u(p, t, d)
            """)
    }

    private func knownTracks(_ ids: [String], context: ServerContext) async throws -> [String: AudoticsAPI.Track] {
        guard !ids.isEmpty else { return [:] }
        let found = try await tracks.tracks(ids: Array(Set(ids)), context: context)
        var violations = FieldViolations()
        for (index, id) in ids.enumerated() where found[id] == nil {
            violations.add("track_ids[\(index)]", .invalidValue, "is not a track in the catalog")
        }
        try violations.throwIfAny()
        return found
    }

    private static func checkTrackIDs(_ ids: [String], allowEmpty: Bool, into violations: inout FieldViolations) {
        if !allowEmpty { violations.check(!ids.isEmpty, "track_ids", .required, "needs at least one track") }
        violations.check(ids.count <= maxPerCall, "track_ids", .tooMany, "has more than \(maxPerCall) tracks")
        for (index, id) in ids.enumerated().prefix(maxPerCall) { violations.checkID(id, "track_ids[\(index)]") }
    }

    private static func newID() throws(RPCError) -> String {
        guard let bytes = try? SecureRandom.bytes(count: 16) else {
            throw RPCError(code: .internal, message: "internal error")
        }
        let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")
        return "pl_" + String(bytes.map { alphabet[Int($0 & 31)] })
    }
}
