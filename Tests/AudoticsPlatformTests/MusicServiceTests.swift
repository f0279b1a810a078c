import AudoticsAPI
import AudoticsMusic
import AudoticsRedisClient
import AudoticsPostgres
import AudoticsRPC
import Foundation
import Testing

/// MusicService end to end over TLS against the seeded catalog.
@Suite("MusicService (end to end)", .serialized)
struct MusicServiceTests {
    static func token(_ platform: PlatformHarness, email: String = "listener@example.org") async throws -> String {
        let users = UserServiceClient(transport: platform.channel)
        let response = try await users.register(.with {
            $0.email = email
            $0.password = "correct horse battery"
        }, options: CallOptions(timeout: .seconds(10)))
        return try #require(response.tokens?.accessToken)
    }

    @Test("tracks by ID and in batches, artists and albums, with NOT_FOUND and field errors")
    func reads() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let music = MusicServiceClient(transport: platform.channel)
        let options = PlatformHarness.authorized(try await Self.token(platform))
        let expected = platform.catalog.tracks[321]
        let track = try await music.getTrack(.with { $0.trackID = expected.id }, options: options)
        #expect(track.title == expected.title && track.artistName == expected.artistName && track.durationMs == Int32(expected.durationMs))
        #expect(track.genres == expected.genres && track.isrc == expected.isrc)
        let missing = await UserServiceTests.rpcError { _ = try await music.getTrack(.with { $0.trackID = "tr_nope" }, options: options) }
        #expect(missing?.code == .notFound)
        let empty = await UserServiceTests.rpcError { _ = try await music.getTrack(GetTrackRequest(), options: options) }
        #expect(empty?.code == .invalidArgument)
        let unauthenticated = await UserServiceTests.rpcError {
            _ = try await music.getTrack(.with { $0.trackID = expected.id }, options: CallOptions(timeout: .seconds(5)))
        }
        #expect(unauthenticated?.code == .unauthenticated)

        let ids = [platform.catalog.tracks[5].id, "tr_missing", platform.catalog.tracks[1].id, platform.catalog.tracks[5].id]
        let batch = try await music.batchGetTracks(.with { $0.trackIDs = ids }, options: options)
        #expect(batch.tracks.map(\.id) == [ids[0], ids[2], ids[3]])
        #expect(batch.missingIDs == ["tr_missing"])
        let tooMany = await UserServiceTests.rpcError {
            _ = try await music.batchGetTracks(.with { $0.trackIDs = (0..<101).map { "tr_\($0)" } }, options: options)
        }
        #expect(tooMany?.code == .invalidArgument)

        let artistRecord = platform.catalog.artists[3]
        let artist = try await music.getArtist(.with { $0.artistID = artistRecord.id }, options: options)
        #expect(artist.name == artistRecord.name)
        #expect(artist.trackCount == Int32(platform.catalog.tracks.filter { $0.artistID == artistRecord.id }.count))
        #expect(artist.topTracks.map(\.popularity) == artist.topTracks.map(\.popularity).sorted(by: >))
        let albumRecord = platform.catalog.albums[7]
        let album = try await music.getAlbum(.with { $0.albumID = albumRecord.id }, options: options)
        let albumTracks = platform.catalog.tracks.filter { $0.albumID == albumRecord.id }
        #expect(album.title == albumRecord.title && album.tracks.map(\.id) == albumTracks.map(\.id))
        #expect(album.totalDurationMs == albumTracks.reduce(0) { $0 + Int64($1.durationMs) })
        await platform.stop()
    }

    @Test("track details are cached in Redis: a read after a direct database change still sees the cached row until invalidated")
    func cache() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let music = MusicServiceClient(transport: platform.channel)
        let options = PlatformHarness.authorized(try await Self.token(platform))
        let id = platform.catalog.tracks[42].id
        let before = try await music.getTrack(.with { $0.trackID = id }, options: options)
        _ = try await platform.pool.query("UPDATE music.tracks SET title = 'Changed Behind The Cache' WHERE id = \(id)")
        #expect(try await music.getTrack(.with { $0.trackID = id }, options: options).title == before.title)
        let batch = try await music.batchGetTracks(.with { $0.trackIDs = [id] }, options: options)
        #expect(batch.tracks.first?.title == before.title)
        let cache = RedisCache(client: platform.redis, namespace: platform.redisNamespace + ":" + CachedCatalogRepository.namespace)
        #expect(await cache.invalidate(id))
        #expect(try await music.getTrack(.with { $0.trackID = id }, options: options).title == "Changed Behind The Cache")
        await platform.stop()
    }

    @Test("search: words, a typo, a genre filter, stable paging with tokens bound to the query")
    func search() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let music = MusicServiceClient(transport: platform.channel)
        let options = PlatformHarness.authorized(try await Self.token(platform))
        let target = platform.catalog.tracks[777]
        let byWords = try await music.searchTracks(.with { $0.query = "\(target.title) \(target.artistName)"; $0.pageSize = 50 }, options: options)
        #expect(byWords.tracks.prefix(5).contains { $0.id == target.id })
        var typo = Array(target.artistName.lowercased())
        if typo.count > 4 { typo.swapAt(2, 3) }
        let byTypo = try await music.searchTracks(.with { $0.query = target.title + " " + String(typo); $0.pageSize = 50 }, options: options)
        #expect(byTypo.tracks.contains { $0.id == target.id }, "a typo in the artist's name still finds the track")

        let genre = target.genres[0]
        var seen: [String] = []
        var request = SearchTracksRequest.with {
            $0.genre = genre
            $0.pageSize = 25
        }
        var pages = 0
        repeat {
            let page = try await music.searchTracks(request, options: options)
            #expect(page.tracks.allSatisfy { $0.genres.contains(genre) })
            seen += page.tracks.map(\.id)
            request.pageToken = page.nextPageToken
            pages += 1
        } while !request.pageToken.isEmpty && pages < 200
        let expected = platform.catalog.tracks.filter { $0.genres.contains(genre) }
        #expect(Set(seen) == Set(expected.map(\.id)) && seen.count == expected.count, "pages cover every match once")

        let first = try await music.searchTracks(.with { $0.genre = genre; $0.pageSize = 5 }, options: options)
        let foreign = await UserServiceTests.rpcError {
            _ = try await music.searchTracks(.with {
                $0.genre = "rock" == genre ? "pop" : "rock"
                $0.pageToken = first.nextPageToken
            }, options: options)
        }
        #expect(foreign?.code == .invalidArgument)
        let nothing = await UserServiceTests.rpcError { _ = try await music.searchTracks(SearchTracksRequest(), options: options) }
        #expect(nothing?.code == .invalidArgument)
        let tooBig = await UserServiceTests.rpcError { _ = try await music.searchTracks(.with { $0.query = "a"; $0.pageSize = 51 }, options: options) }
        #expect(tooBig?.code == .invalidArgument)
        await platform.stop()
    }

    @Test("listening history: the caller's plays only, newest first, paged")
    func history() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let music = MusicServiceClient(transport: platform.channel)
        let token = try await Self.token(platform)
        let me = try await UserServiceClient(transport: platform.channel).getMe(GetMeRequest(), options: PlatformHarness.authorized(token))
        let tracks = platform.catalog.tracks
        for index in 0..<30 {
            let user = index % 3 == 0 ? "us_someone_else" : me.id
            _ = try await platform.pool.query("""
                INSERT INTO music.listening_history (play_id, user_id, track_id, played_at, played_ms, completed)
                VALUES (\("play-\(index)"), \(user), \(tracks[index].id), to_timestamp(\(Int64(1_700_000_000 + index * 60))::bigint), \(Int32(30_000)), \(index % 2 == 0))
                """)
        }
        var entries: [HistoryEntry] = []
        var request = ListHistoryRequest.with { $0.pageSize = 7 }
        repeat {
            let page = try await music.listHistory(request, options: PlatformHarness.authorized(token))
            entries += page.entries
            request.pageToken = page.nextPageToken
        } while !request.pageToken.isEmpty
        let mine = (0..<30).filter { $0 % 3 != 0 }.reversed()
        #expect(entries.map(\.playID) == mine.map { "play-\($0)" })
        #expect(entries.first?.track?.id == tracks[29].id)
        let window = try await music.listHistory(.with {
            $0.startTime = .with { $0.seconds = 1_700_000_000 + 10 * 60 }
            $0.endTime = .with { $0.seconds = 1_700_000_000 + 20 * 60 }
        }, options: PlatformHarness.authorized(token))
        #expect(window.entries.map(\.playID) == (10..<20).filter { $0 % 3 != 0 }.reversed().map { "play-\($0)" })
        await platform.stop()
    }
}
