import AudoticsHealth
import AudoticsInterop
import AudoticsInteropAPI
import AudoticsRPC
import AudoticsTransport
import Testing

/// Client-side health checking: with `healthCheckService` set, the channel watches each server's
/// `grpc.health.v1.Health` and only calls endpoints that report the service SERVING.
@Suite("gRPC client health checking")
struct HealthCheckingTests {
    static let service = "audotics.test.Echo"

    /// A server answering EmptyCall with its name in `x-server`, with a Health service if one is given.
    static func startServer(name: String, health: HealthService?) async throws -> RunningGRPCServer {
        var services: [any RPCService] = [InteropTestService()]
        if let health { services.append(health) }
        var router = RPCRouter(services: services)
        router.register(TestService.Method.emptyCall) { _, writer, context in
            context.response.initialMetadata = ["x-server": .string(name)]
            try await writer.write([])
        }
        return try await GRPCServer(configuration: GRPCServerConfiguration(port: 0, threads: 1), router: router).start()
    }

    /// Which server answers a call, or the call's error.
    static func answer(_ client: TestServiceClient, waitForReady: Bool = false) async -> Result<String, RPCError> {
        let recorder = ResponseMetadata()
        do {
            _ = try await client.emptyCall(
                Empty(), options: CallOptions(timeout: .seconds(5), waitForReady: waitForReady, responseMetadata: recorder))
            return .success(recorder.initial.first("x-server") ?? "?")
        } catch let error as RPCError {
            return .failure(error)
        } catch {
            return .failure(RPCError(code: .unknown, message: "\(error)"))
        }
    }

    /// Calls until `condition` holds for the set of servers answering 10 calls in a row (health reports arrive
    /// asynchronously), for at most 5 seconds; returns that last set.
    static func servers(_ client: TestServiceClient, until condition: (Set<String>) -> Bool) async throws -> Set<String> {
        var seen: Set<String> = []
        for _ in 0..<100 {
            seen = []
            for _ in 0..<10 {
                switch await answer(client) {
                case .success(let name): seen.insert(name)
                case .failure(let error): seen.insert("error: \(error.code)")
                }
            }
            if condition(seen) { return seen }
            try await Task.sleep(for: .milliseconds(50))
        }
        return seen
    }

    @Test("calls go only to endpoints whose server reports the service SERVING, and follow changes")
    func followsHealth() async throws {
        let healthA = HealthService(statuses: [Self.service: .notServing])
        let healthB = HealthService(statuses: [Self.service: .serving])
        let a = try await Self.startServer(name: "a", health: healthA)
        let b = try await Self.startServer(name: "b", health: healthB)
        let channel = GRPCChannel(
            endpoints: [GRPCEndpoint(host: "127.0.0.1", port: a.port), GRPCEndpoint(host: "127.0.0.1", port: b.port)],
            configuration: GRPCChannelConfiguration(healthCheckService: Self.service))
        let client = TestServiceClient(transport: channel)

        // The first call waits for the first health reports instead of failing or picking an unhealthy server.
        #expect(try await Self.answer(client).get() == "b")
        var seen: [String: Int] = [:]
        for _ in 0..<20 { seen[try await Self.answer(client).get(), default: 0] += 1 }
        #expect(seen == ["b": 20])

        healthA.setStatus(.serving, for: Self.service)
        #expect(try await Self.servers(client) { $0 == ["a", "b"] } == ["a", "b"])

        healthB.setStatus(.notServing, for: Self.service)
        #expect(try await Self.servers(client) { $0 == ["a"] } == ["a"])

        // Nobody serving: calls fail fast with UNAVAILABLE...
        healthA.setStatus(.notServing, for: Self.service)
        #expect(try await Self.servers(client) { $0 == ["error: UNAVAILABLE"] } == ["error: UNAVAILABLE"])
        // ...and a call that waits for readiness goes through once a server serves again.
        let waiting = Task { await Self.answer(client, waitForReady: true) }
        try await Task.sleep(for: .milliseconds(100))
        healthB.setStatus(.serving, for: Self.service)
        #expect(try await waiting.value.get() == "b")

        await channel.close()
        try await a.stop()
        try await b.stop()
    }

    @Test("a server without the Health service counts as serving")
    func serverWithoutHealth() async throws {
        let server = try await Self.startServer(name: "plain", health: nil)
        let channel = GRPCChannel(
            host: "127.0.0.1", port: server.port, configuration: GRPCChannelConfiguration(healthCheckService: Self.service))
        let client = TestServiceClient(transport: channel)
        #expect(try await Self.answer(client).get() == "plain")
        await channel.close()
        try await server.stop()
    }

    @Test("closing a health-checked channel does not wait for its health watches")
    func closeIsPrompt() async throws {
        let server = try await Self.startServer(name: "a", health: HealthService(statuses: [Self.service: .serving]))
        let channel = GRPCChannel(
            host: "127.0.0.1", port: server.port, configuration: GRPCChannelConfiguration(healthCheckService: Self.service))
        #expect(try await Self.answer(TestServiceClient(transport: channel)).get() == "a")
        let started = ContinuousClock.now
        await channel.close()
        #expect(ContinuousClock.now - started < .seconds(5))
        try await server.stop()
    }
}
