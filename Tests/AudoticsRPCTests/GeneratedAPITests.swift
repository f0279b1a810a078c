import AudoticsAPI
import AudoticsHealthAPI
import AudoticsRPC
import AudoticsWellKnownTypes
import Testing

@Suite("generated Audotics API")
struct GeneratedAPITests {
    @Test("every service exposes its methods and the JSON edge routes from google.api.http")
    func routes() {
        #expect(MusicService.name == "audotics.v1.MusicService")
        let getTrack = MusicService.httpRoutes.first { $0.rpc == MusicService.Method.getTrack }
        #expect(getTrack?.method == "GET")
        #expect(getTrack?.pathTemplate == "/v1/tracks/{track_id}")
        let listPlaylists = PlaylistService.httpRoutes.filter { $0.rpc == PlaylistService.Method.listPlaylists }
        #expect(listPlaylists.count == 2, "ListPlaylists has an additional binding")
        let services: [[MethodDescriptor]] = [
            UserService.methods, MusicService.methods, PlaylistService.methods, AnalyticsService.methods,
            RecommendationService.methods,
        ]
        for methods in services {
            #expect(!methods.isEmpty)
        }
        #expect(AnalyticsService.Method.streamEvents.kind == .clientStreaming)
        #expect(Health.Method.watch.kind == .serverStreaming)
    }

    @Test("API messages round-trip through protobuf-c, including nested well-known types")
    func messages() throws {
        let track = Track.with {
            $0.id = "trk_000123"
            $0.title = "S\u{e9}ance \u{1F3B6}"
            $0.genres = ["jazz", "ambient"]
            $0.durationMs = 245_000
        }
        #expect(try Track(serializedBytes: track.serializedBytes()) == track)
        let timestamp = Timestamp.with { $0.seconds = 1_700_000_000; $0.nanos = 5 }
        #expect(try Timestamp(serializedBytes: timestamp.serializedBytes()) == timestamp)
    }
}
