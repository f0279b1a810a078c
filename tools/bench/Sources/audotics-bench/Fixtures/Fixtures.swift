/// Plain values describing each shape, independent of either protobuf library.
///
/// Both representations are built from the same fixture, so they hold the same data by
/// construction; the cross-check then proves the encodings agree.
struct TimestampFixture: Sendable {
    var seconds: Int64
    var nanos: Int32
}

/// The fields of `audotics.v1.Track`.
struct TrackFixture: Sendable {
    var id: String
    var title: String
    var artistID: String
    var artistName: String
    var albumID: String
    var albumTitle: String
    var durationMs: Int32
    var genres: [String]
    var releaseYear: Int32
    var popularity: Int32
    var trackNumber: Int32
    var discNumber: Int32
    var explicit: Bool
    var isrc: String
}

/// The fields of `audotics.v1.PlaylistItem`.
struct PlaylistItemFixture: Sendable {
    var position: Int32
    var track: TrackFixture
    var addedAt: TimestampFixture
    var addedByUserID: String
}

/// The fields of `audotics.v1.GetPlaylistResponse` and its `Playlist`.
struct PlaylistFixture: Sendable {
    var id: String
    var ownerID: String
    var ownerDisplayName: String
    var name: String
    var description: String
    var visibility: Int32
    var collaborative: Bool
    var snapshotID: String
    var totalDurationMs: Int64
    var createdAt: TimestampFixture
    var updatedAt: TimestampFixture
    var items: [PlaylistItemFixture]
    var nextItemsPageToken: String
}

/// The fields of `audotics.v1.PlaybackContext`.
struct ContextFixture: Sendable {
    var source: Int32
    var sourceID: String
    var deviceType: Int32
    var deviceID: String
    var sessionID: String
}

/// The fields of `audotics.v1.Event`.
struct EventFixture: Sendable {
    var eventID: String
    var type: Int32
    var trackID: String
    var occurredAt: TimestampFixture
    var positionMs: Int32
    var context: ContextFixture
    var playlistID: String
}
