import SwiftProtobuf
import SwiftProtobufBaseline

// The fixtures as swift-protobuf messages (the baseline).
extension TimestampFixture {
    var swiftProtobuf: Google_Protobuf_Timestamp {
        .with { $0.seconds = seconds; $0.nanos = nanos }
    }
}

extension TrackFixture {
    var swiftProtobuf: Audotics_V1_Track {
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
    var swiftProtobuf: Audotics_V1_GetPlaylistResponse {
        .with { response in
            response.playlist = .with {
                $0.id = id
                $0.ownerID = ownerID
                $0.ownerDisplayName = ownerDisplayName
                $0.name = name
                $0.description_p = description
                $0.visibility = Audotics_V1_PlaylistVisibility(rawValue: Int(visibility))!
                $0.collaborative = collaborative
                $0.snapshotID = snapshotID
                $0.itemCount = Int32(items.count)
                $0.totalDurationMs = totalDurationMs
                $0.createdAt = createdAt.swiftProtobuf
                $0.updatedAt = updatedAt.swiftProtobuf
            }
            response.items = items.map { item in
                .with {
                    $0.position = item.position
                    $0.trackID = item.track.id
                    $0.track = item.track.swiftProtobuf
                    $0.addedAt = item.addedAt.swiftProtobuf
                    $0.addedByUserID = item.addedByUserID
                }
            }
            response.nextItemsPageToken = nextItemsPageToken
        }
    }
}

extension Array where Element == EventFixture {
    var swiftProtobuf: Audotics_V1_TrackEventsRequest {
        .with { request in
            request.events = map { event in
                .with {
                    $0.eventID = event.eventID
                    $0.type = Audotics_V1_EventType(rawValue: Int(event.type))!
                    $0.trackID = event.trackID
                    $0.occurredAt = event.occurredAt.swiftProtobuf
                    $0.positionMs = event.positionMs
                    $0.context = .with {
                        $0.source = Audotics_V1_PlaybackSource(rawValue: Int(event.context.source))!
                        $0.sourceID = event.context.sourceID
                        $0.deviceType = Audotics_V1_DeviceType(rawValue: Int(event.context.deviceType))!
                        $0.deviceID = event.context.deviceID
                        $0.sessionID = event.context.sessionID
                    }
                    $0.playlistID = event.playlistID
                }
            }
        }
    }
}
