import AudoticsHealth
import AudoticsHealthAPI
import AudoticsRPC
import Testing

/// The health service through the in-process transport: Check, Watch, shutdown and concurrency.
@Suite("HealthService")
struct HealthServiceTests {
    let health = HealthService(statuses: ["": .serving, "audotics.v1.MusicService": .notServing])
    var client: HealthClient { HealthClient(transport: InProcessTransport(router: RPCRouter(services: [health]))) }

    @Test("Check answers the registered status, the server's under the empty name")
    func checkRegistered() async throws {
        #expect(try await client.check(.with { $0.service = "" }).status == .serving)
        #expect(try await client.check(.with { $0.service = "audotics.v1.MusicService" }).status == .notServing)
        health.setStatus(.serving, for: "audotics.v1.MusicService")
        #expect(try await client.check(.with { $0.service = "audotics.v1.MusicService" }).status == .serving)
    }

    @Test("Check of an unknown service fails with NOT_FOUND")
    func checkUnknown() async throws {
        let error = await #expect(throws: RPCError.self) { try await client.check(.with { $0.service = "no.such.Service" }) }
        #expect(error?.code == .notFound)
        health.setStatus(.serving, for: "no.such.Service")
        health.clearStatus(for: "no.such.Service")
        let again = await #expect(throws: RPCError.self) { try await client.check(.with { $0.service = "no.such.Service" }) }
        #expect(again?.code == .notFound)
    }

    @Test("Watch sends the current status, then each change")
    func watchChanges() async throws {
        let seen = try await client.watch(.with { $0.service = "audotics.v1.MusicService" }) { responses in
            var seen: [HealthCheckResponse.ServingStatus] = []
            for try await response in responses {
                seen.append(response.status)
                switch seen.count {
                case 1: health.setStatus(.serving, for: "audotics.v1.MusicService")
                case 2:
                    health.setStatus(.serving, for: "audotics.v1.MusicService")  // No change: not sent.
                    health.setStatus(.notServing, for: "audotics.v1.MusicService")
                default: return seen
                }
            }
            return seen
        }
        #expect(seen == [.notServing, .serving, .notServing])
    }

    @Test("Watch of an unknown service reports SERVICE_UNKNOWN and stays open until it appears")
    func watchUnknown() async throws {
        let seen = try await client.watch(.with { $0.service = "audotics.v1.UserService" }) { responses in
            var seen: [HealthCheckResponse.ServingStatus] = []
            for try await response in responses {
                seen.append(response.status)
                if seen.count == 1 { health.setStatus(.serving, for: "audotics.v1.UserService") } else { break }
            }
            return seen
        }
        #expect(seen == [.serviceUnknown, .serving])
    }

    @Test("a cancelled Watch releases its watcher")
    func watchCancelled() async throws {
        _ = try await client.watch(.with { $0.service = "" }) { responses in
            for try await _ in responses { break }
        }
        try await waitUntil { health.watcherCount == 0 }
        #expect(health.watcherCount == 0)
    }

    @Test("shutdown sets every service NOT_SERVING, tells watchers and ignores later changes")
    func shutdown() async throws {
        let seen = try await client.watch(.with { $0.service = "" }) { responses in
            var seen: [HealthCheckResponse.ServingStatus] = []
            for try await response in responses {
                seen.append(response.status)
                if seen.count == 1 { health.shutdown() } else { break }
            }
            return seen
        }
        #expect(seen == [.serving, .notServing])
        health.setStatus(.serving)
        #expect(health.status() == .notServing)
        #expect(health.status(for: "audotics.v1.MusicService") == .notServing)
    }

    @Test("many watchers and concurrent writers: every watcher ends on the last status")
    func concurrentChanges() async throws {
        let service = "grpc.testing.TestService"
        health.setStatus(.notServing, for: service)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await client.watch(.with { $0.service = service }) { responses in
                        for try await response in responses where response.status == .serving { return }
                    }
                }
            }
            try await waitUntil { health.watcherCount == 20 }
            await withTaskGroup(of: Void.self) { writers in
                for index in 0..<200 {
                    writers.addTask { health.setStatus(index % 2 == 0 ? .unknown : .notServing, for: service) }
                }
            }
            health.setStatus(.serving, for: service)
            try await group.waitForAll()
        }
        try await waitUntil { health.watcherCount == 0 }
        #expect(health.watcherCount == 0)
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }
}
