import AudoticsAPI
import AudoticsRPC
import AudoticsTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The services across a restart of their PostgreSQL: calls fail with UNAVAILABLE during the outage (never
/// INTERNAL, never a hang) and succeed again once the server is back, without restarting anything of ours.
@Suite("Services across a PostgreSQL restart")
struct DatabaseRestartTests {
    @Test("playlist reads and writes recover after PostgreSQL restarts mid-run", .timeLimit(.minutes(3)))
    func restart() async throws {
        guard ProcessInfo.processInfo.environment["AUDOTICS_TEST_REDIS_URL"] != nil else {
            Issue.record("AUDOTICS_TEST_REDIS_URL is not set: run the tests with tools/test")
            return
        }
        let folder = try TemporaryFolder()
        chmod(folder.path, 0o755)  // the postgres user must reach the data folder inside
        let database = PrivatePostgres(dataFolder: folder.path + "/data")
        let port = try await database.start(port: nil)
        do {
            guard let platform = try await PlatformHarness.start(adminURL: "postgresql://audotics@127.0.0.1:\(port)/audotics") else {
                try await database.stop()
                return
            }
            let playlists = PlaylistServiceClient(transport: platform.channel)
            let owner = PlatformHarness.authorized(try await PlaylistServiceTests.signUp(platform, "restart").token, timeout: .seconds(5))
            let created = try await playlists.createPlaylist(.with { $0.name = "Survivor" }, options: owner)
            let id = try #require(created.playlist?.id)

            // Calls keep coming while the server goes away and comes back.
            let load = Task {
                var codes: [StatusCode] = []
                while !Task.isCancelled {
                    do {
                        _ = try await playlists.getPlaylist(.with { $0.playlistID = id }, options: owner)
                    } catch let error as RPCError {
                        codes.append(error.code)
                        try? await Task.sleep(for: .milliseconds(20))
                    } catch {
                        Issue.record("unexpected error \(error)")
                    }
                }
                return codes
            }
            try await Task.sleep(for: .milliseconds(300))
            try await database.stop()
            try await Task.sleep(for: .milliseconds(500))
            _ = try await database.start(port: port)
            try await Task.sleep(for: .milliseconds(300))
            load.cancel()
            var codes = await load.value
            // The call in flight when the load was stopped ends CANCELLED: that one is ours.
            if codes.last == .cancelled { codes.removeLast() }
            #expect(!codes.isEmpty, "the outage should have been visible to calls")
            #expect(codes.allSatisfy { $0 == .unavailable }, "\(Set(codes.map(\.description)))")

            // Back: reads and writes succeed on fresh connections.
            for index in 0..<20 {
                _ = try await playlists.getPlaylist(.with { $0.playlistID = id }, options: owner)
                if index % 5 == 0 {
                    _ = try await playlists.addTracks(.with {
                        $0.playlistID = id
                        $0.trackIDs = [platform.catalog.tracks[index].id]
                    }, options: owner)
                }
            }
            let final = try await playlists.getPlaylist(.with { $0.playlistID = id }, options: owner)
            #expect(final.playlist?.itemCount == 4)
            await platform.stop()
        } catch {
            try? await database.stop()
            throw error
        }
        try await database.stop()
    }
}
