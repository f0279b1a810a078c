import AudoticsAPI
import AudoticsRPC
import Testing

/// What the generated audotics.v1 API tells a JSON edge: every service, method, message type and route.
@Suite("generated service schemas of audotics.v1")
struct GeneratedServiceSchemaTests {
    @Test("AudoticsV1Services lists every service, each method with its message types")
    func services() throws {
        let names = AudoticsV1Services.all.map(\.name)
        #expect(names == [
            "audotics.v1.AnalyticsService", "audotics.v1.MusicService", "audotics.v1.PlaylistService",
            "audotics.v1.RecommendationService", "audotics.v1.UserService",
        ])
        let music = try #require(AudoticsV1Services.all.first { $0.name == MusicService.name })
        #expect(music.methods.map(\.descriptor) == MusicService.methods)
        let getTrack = music.methods[0]
        #expect(getTrack.requestType.protoMessageName == "audotics.v1.GetTrackRequest")
        #expect(getTrack.responseType.protoMessageName == "audotics.v1.Track")
        #expect(ObjectIdentifier(getTrack.requestType) == ObjectIdentifier(GetTrackRequest.self))
    }

    @Test("every route belongs to the method whose schema holds it; unannotated methods have none")
    func routes() throws {
        for service in AudoticsV1Services.all {
            for method in service.methods {
                #expect(method.httpRoutes.allSatisfy { $0.rpc == method.descriptor })
            }
        }
        let streamEvents = try #require(AnalyticsService.methodSchemas.first { $0.descriptor == AnalyticsService.Method.streamEvents })
        #expect(streamEvents.httpRoutes.isEmpty)
        #expect(streamEvents.descriptor.path == "/audotics.v1.AnalyticsService/StreamEvents")
        #expect(UserService.httpRoutes.filter { $0.rpc == UserService.Method.getJwks }.map(\.pathTemplate)
            == ["/v1/auth/jwks", "/.well-known/jwks.json"])
    }

    @Test("creations answer 201, everything else 200")
    func successStatus() {
        let created = AudoticsV1Services.all.flatMap(\.httpRoutes).filter { $0.successStatus == 201 }.map(\.rpc.method)
        #expect(Set(created) == ["CreatePlaylist", "Register"])
    }

    @Test("read-only methods, and so every GET route, are idempotent; methods that change things are not")
    func idempotency() {
        let routes = AudoticsV1Services.all.flatMap(\.httpRoutes)
        #expect(routes.filter { $0.method == "GET" }.allSatisfy { $0.rpc.isIdempotent })
        #expect(UserService.Method.logout.isIdempotent)
        for method in [UserService.Method.register, UserService.Method.login, UserService.Method.refresh, PlaylistService.Method.createPlaylist,
                       PlaylistService.Method.addTracks, AnalyticsService.Method.trackEvents] {
            #expect(!method.isIdempotent, "\(method)")
        }
    }
}
