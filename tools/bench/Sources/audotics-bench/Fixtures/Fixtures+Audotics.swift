import AudoticsAPI
import AudoticsProtobuf

// The fixtures as Audotics messages (protoc-gen-audotics structs, encoded by protobuf-c).
extension TrackFixture {
    var audotics: Track {
        .with {
            $0.id = id
            $0.title = title
            $0.artistID = artistID
            $0.artistName = artistName
            $0.albumID = albumID
            $0.albumTitle = albumTitle
            $0.durationMs = durationMs
            $0.genres = genres
            $0.releaseYear = releaseYear
            $0.popularity = popularity
            $0.trackNumber = trackNumber
            $0.discNumber = discNumber
            $0.explicit = explicit
            $0.isrc = isrc
        }
    }
}

extension PlaylistFixture {
    var audotics: GetPlaylistResponse {
        .with { response in
            response.playlist = .with {
                $0.id = id
                $0.ownerID = ownerID
                $0.ownerDisplayName = ownerDisplayName
                $0.name = name
                $0.description = description
                $0.visibility = PlaylistVisibility(rawValue: visibility)
                $0.collaborative = collaborative
                $0.snapshotID = snapshotID
                $0.itemCount = Int32(items.count)
                $0.totalDurationMs = totalDurationMs
                $0.createdAt = .with { $0.seconds = createdAt.seconds; $0.nanos = createdAt.nanos }
                $0.updatedAt = .with { $0.seconds = updatedAt.seconds; $0.nanos = updatedAt.nanos }
            }
            response.items = items.map { item in
                .with {
                    $0.position = item.position
                    $0.trackID = item.track.id
                    $0.track = item.track.audotics
                    $0.addedAt = .with { $0.seconds = item.addedAt.seconds; $0.nanos = item.addedAt.nanos }
                    $0.addedByUserID = item.addedByUserID
                }
            }
            response.nextItemsPageToken = nextItemsPageToken
        }
    }
}

extension Array where Element == EventFixture {
    var audotics: TrackEventsRequest {
        .with { request in
            request.events = map { event in
                .with {
                    $0.eventID = event.eventID
                    $0.type = EventType(rawValue: event.type)
                    $0.trackID = event.trackID
                    $0.occurredAt = .with { $0.seconds = event.occurredAt.seconds; $0.nanos = event.occurredAt.nanos }
                    $0.positionMs = event.positionMs
                    $0.context = .with {
                        $0.source = PlaybackSource(rawValue: event.context.source)
                        $0.sourceID = event.context.sourceID
                        $0.deviceType = DeviceType(rawValue: event.context.deviceType)
                        $0.deviceID = event.context.deviceID
                        $0.sessionID = event.context.sessionID
                    }
                    $0.playlistID = event.playlistID
                }
            }
        }
    }
}
