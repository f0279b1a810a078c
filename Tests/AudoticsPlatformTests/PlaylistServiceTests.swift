import AudoticsAPI
import AudoticsPostgres
import AudoticsRPC
import AudoticsWellKnownTypes
import Foundation
import Testing

/// PlaylistService end to end over TLS: permissions, snapshots, item edits, and many concurrent writers.
@Suite("PlaylistService (end to end)", .serialized)
struct PlaylistServiceTests {
    static func signUp(_ platform: PlatformHarness, _ name: String) async throws -> (token: String, id: String) {
        let response = try await UserServiceClient(transport: platform.channel).register(.with {
            $0.email = "\(name)@example.org"
            $0.password = "correct horse battery"
        }, options: CallOptions(timeout: .seconds(10)))
        return (try #require(response.tokens?.accessToken), try #require(response.user?.id))
    }

    static func items(_ playlists: PlaylistServiceClient, _ id: String, _ options: CallOptions) async throws -> [String] {
        var result: [String] = []
        var request = GetPlaylistRequest.with {
            $0.playlistID = id
            $0.itemsPageSize = 500
        }
        repeat {
            let page = try await playlists.getPlaylist(request, options: options)
            #expect(page.items.map(\.position) == Array(Int32(result.count)..<Int32(result.count + page.items.count)), "dense positions")
            result += page.items.map(\.trackID)
            request.itemsPageToken = page.nextItemsPageToken
        } while !request.itemsPageToken.isEmpty
        return result
    }

    @Test("create, read with track details, add, remove, reorder, with snapshots checked")
    func editing() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let playlists = PlaylistServiceClient(transport: platform.channel)
        let owner = PlatformHarness.authorized(try await Self.signUp(platform, "owner").token)
        let t = platform.catalog.tracks.map(\.id)
        let created = try await playlists.createPlaylist(.with {
            $0.name = "Road trip"
            $0.trackIDs = [t[0], t[1], t[2]]
        }, options: owner)
        let id = try #require(created.playlist?.id)
        #expect(created.playlist?.visibility == .private && created.playlist?.itemCount == 3)
        // The owner's display name comes from the access token (registration defaults it to the email's local part).
        #expect(created.playlist?.ownerDisplayName == "owner")
        #expect(created.playlist?.totalDurationMs == Int64(platform.catalog.tracks[0..<3].reduce(0) { $0 + $1.durationMs }))

        let read = try await playlists.getPlaylist(.with { $0.playlistID = id }, options: owner)
        #expect(read.items.map(\.trackID) == [t[0], t[1], t[2]] && read.items.allSatisfy { $0.track?.id == $0.trackID })

        let added = try await playlists.addTracks(.with {
            $0.playlistID = id
            $0.trackIDs = [t[10], t[11]]
            $0.position = 1
            $0.expectedSnapshotID = created.snapshotID
        }, options: owner)
        #expect(added.position == 1 && added.itemCount == 5 && added.snapshotID != created.snapshotID)
        #expect(try await Self.items(playlists, id, owner) == [t[0], t[10], t[11], t[1], t[2]])

        let stale = await UserServiceTests.rpcError {
            _ = try await playlists.addTracks(.with {
                $0.playlistID = id
                $0.trackIDs = [t[20]]
                $0.expectedSnapshotID = created.snapshotID
            }, options: owner)
        }
        #expect(stale?.code == .aborted)
        let detailBytes = try #require(stale?.metadata[binaryValues: GRPCTrailers.statusDetailsKey].first)
        let firstDetail = try #require(try Status(serializedBytes: detailBytes).details.first)
        let info = try ErrorInfo(serializedBytes: firstDetail.value)
        #expect(info.reason == "SNAPSHOT_MISMATCH" && info.metadata["current_snapshot_id"] == added.snapshotID)

        let mismatch = await UserServiceTests.rpcError {
            _ = try await playlists.removeTracks(.with {
                $0.playlistID = id
                $0.items = [.with { $0.position = 0; $0.trackID = t[0] }, .with { $0.position = 2; $0.trackID = t[2] }]
            }, options: owner)
        }
        #expect(mismatch?.code == .aborted, "position 2 holds another track: nothing is removed")
        #expect(try await Self.items(playlists, id, owner).count == 5)
        let removed = try await playlists.removeTracks(.with {
            $0.playlistID = id
            $0.items = [.with { $0.position = 0; $0.trackID = t[0] }, .with { $0.position = 2; $0.trackID = t[11] }]
        }, options: owner)
        #expect(removed.itemCount == 3)
        #expect(try await Self.items(playlists, id, owner) == [t[10], t[1], t[2]])

        let moved = try await playlists.reorderTracks(.with {
            $0.playlistID = id
            $0.rangeStart = 0
            $0.insertBefore = 3
        }, options: owner)
        #expect(try await Self.items(playlists, id, owner) == [t[1], t[2], t[10]])
        let noMove = try await playlists.reorderTracks(.with {
            $0.playlistID = id
            $0.rangeStart = 1
            $0.rangeLength = 2
            $0.insertBefore = 1
        }, options: owner)
        #expect(noMove.snapshotID == moved.snapshotID, "moving a range to where it is keeps the snapshot")
        _ = try await playlists.reorderTracks(.with {
            $0.playlistID = id
            $0.rangeStart = 1
            $0.rangeLength = 2
            $0.insertBefore = 0
        }, options: owner)
        #expect(try await Self.items(playlists, id, owner) == [t[2], t[10], t[1]])
        let past = await UserServiceTests.rpcError {
            _ = try await playlists.reorderTracks(.with {
                $0.playlistID = id
                $0.rangeStart = 2
                $0.rangeLength = 2
            }, options: owner)
        }
        #expect(past?.code == .outOfRange)
        let unknownTrack = await UserServiceTests.rpcError {
            _ = try await playlists.addTracks(.with { $0.playlistID = id; $0.trackIDs = ["tr_not_in_catalog"] }, options: owner)
        }
        #expect(unknownTrack?.code == .invalidArgument)

        let updated = try await playlists.updatePlaylist(.with {
            $0.playlistID = id
            $0.playlist = .with { $0.name = "Road trip 2"; $0.visibility = .public }
        }, options: owner)
        #expect(updated.playlist?.name == "Road trip 2" && updated.playlist?.visibility == .public)
        let deleted = try await playlists.deletePlaylist(.with { $0.playlistID = id }, options: owner)
        #expect(deleted.snapshotID == updated.snapshotID)
        let gone = await UserServiceTests.rpcError { _ = try await playlists.getPlaylist(.with { $0.playlistID = id }, options: owner) }
        #expect(gone?.code == .notFound)
        await platform.stop()
    }

    @Test("private is NOT_FOUND to others; public is read-only to others unless collaborative")
    func permissions() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let playlists = PlaylistServiceClient(transport: platform.channel)
        let (ownerToken, ownerID) = try await Self.signUp(platform, "alice")
        let owner = PlatformHarness.authorized(ownerToken)
        let other = PlatformHarness.authorized(try await Self.signUp(platform, "bob").token)
        let t = platform.catalog.tracks.map(\.id)
        let secret = try #require(try await playlists.createPlaylist(.with { $0.name = "Secret" }, options: owner).playlist?.id)
        let shared = try #require(try await playlists.createPlaylist(.with { $0.name = "Shared"; $0.visibility = .public }, options: owner).playlist?.id)
        let open = try #require(try await playlists.createPlaylist(.with {
            $0.name = "Open"
            $0.visibility = .public
            $0.collaborative = true
        }, options: owner).playlist?.id)

        #expect(await UserServiceTests.rpcError { _ = try await playlists.getPlaylist(.with { $0.playlistID = secret }, options: other) }?.code == .notFound)
        _ = try await playlists.getPlaylist(.with { $0.playlistID = shared }, options: other)
        let denied = await UserServiceTests.rpcError {
            _ = try await playlists.addTracks(.with { $0.playlistID = shared; $0.trackIDs = [t[0]] }, options: other)
        }
        #expect(denied?.code == .permissionDenied)
        _ = try await playlists.addTracks(.with { $0.playlistID = open; $0.trackIDs = [t[0]] }, options: other)
        let notOwner = await UserServiceTests.rpcError { _ = try await playlists.deletePlaylist(.with { $0.playlistID = open }, options: other) }
        #expect(notOwner?.code == .permissionDenied)

        let mine = try await playlists.listPlaylists(ListPlaylistsRequest(), options: owner)
        #expect(Set(mine.playlists.map(\.id)) == [secret, shared, open] && mine.totalSize == 3)
        let theirs = try await playlists.listPlaylists(.with { $0.ownerID = ownerID; $0.pageSize = 1 }, options: other)
        #expect(theirs.totalSize == 2 && theirs.playlists.count == 1 && !theirs.nextPageToken.isEmpty)
        let second = try await playlists.listPlaylists(.with { $0.ownerID = ownerID; $0.pageSize = 1; $0.pageToken = theirs.nextPageToken }, options: other)
        #expect(Set((theirs.playlists + second.playlists).map(\.id)) == [shared, open] && second.nextPageToken.isEmpty)
        await platform.stop()
    }

    @Test("many concurrent writers: no lost update, positions stay dense")
    func concurrentWriters() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let playlists = PlaylistServiceClient(transport: platform.channel)
        let owner = PlatformHarness.authorized(try await Self.signUp(platform, "busy").token, timeout: .seconds(60))
        let id = try #require(try await playlists.createPlaylist(.with { $0.name = "Busy"; $0.collaborative = true }, options: owner).playlist?.id)
        let tracks = platform.catalog.tracks.map(\.id)
        let writers = 16
        let perWriter = 10
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for step in 0..<perWriter {
                        let index = writer * perWriter + step
                        // Alternate appends and inserts at the front.
                        _ = try await playlists.addTracks(.with {
                            $0.playlistID = id
                            $0.trackIDs = [tracks[index]]
                            if step % 2 == 1 { $0.position = 0 }
                        }, options: owner)
                    }
                }
            }
            try await group.waitForAll()
        }
        let items = try await Self.items(playlists, id, owner)
        #expect(items.count == writers * perWriter)
        #expect(Set(items) == Set(tracks.prefix(writers * perWriter)), "every added track is there exactly once")
        let read = try await playlists.getPlaylist(.with { $0.playlistID = id }, options: owner)
        #expect(read.playlist?.itemCount == Int32(writers * perWriter))
        #expect(read.playlist?.totalDurationMs == Int64(platform.catalog.tracks.prefix(writers * perWriter).reduce(0) { $0 + $1.durationMs }))
        await platform.stop()
    }
}
