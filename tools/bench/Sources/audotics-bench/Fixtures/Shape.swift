import ArgumentParser

/// A representative message the codec benchmark measures.
enum Shape: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// One `Track` with realistic field values.
    case track
    /// A `GetPlaylistResponse`: a `Playlist` and 200 `PlaylistItem`s, each with its `Track`.
    case playlist
    /// A `TrackEventsRequest` with 500 `Event`s.
    case events

    /// The message type and its size, as printed in the table.
    var label: String {
        switch self {
        case .track: "Track"
        case .playlist: "Playlist+200 items"
        case .events: "500 Events"
        }
    }
}
