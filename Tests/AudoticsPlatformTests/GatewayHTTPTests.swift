import AudoticsAPI
import AudoticsAuth
import AudoticsGateway
import AudoticsHTTPServer
import AudoticsRPC
import AudoticsRedisClient
import AudoticsTLS
import AudoticsTestSupport
import AudoticsTransport
import Foundation
import NIOPosix
import Testing

/// The JSON edge as clients see it: the gateway's HTTP server over TLS (ALPN h2 and http/1.1) in front of the real
/// services, PostgreSQL and Redis, called by Python httpx over HTTP/1.1 and HTTP/2 and fuzzed by schemathesis
/// from its own /openapi.json.
@Suite("Gateway over HTTP (httpx, schemathesis)", .serialized)
struct GatewayHTTPTests {
    static let corsOrigin = "https://app.audotics.example"
    static let services = AudoticsV1Services.all.filter {
        [UserService.name, MusicService.name, PlaylistService.name].contains($0.name)
    }

    /// A gateway over TLS on a free port, as `audotics gateway` builds it: two event loops shared by the HTTP
    /// connections and the service channels (one per loop, `EventLoopAffineChannel`).
    static func startGateway(_ platform: PlatformHarness, rateLimits: GatewayRateLimits) async throws -> RunningGateway {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let clientTLS = try ReloadableTLSContext(configuration: .client(trustRootsFile: platform.certificates.caFile))
        let channel = EventLoopAffineChannel(
            endpoints: [GRPCEndpoint(host: "127.0.0.1", port: platform.server.port)],
            configuration: GRPCChannelConfiguration(security: .tls(context: clientTLS, serverHostname: "localhost")), group: group)
        let backends = Dictionary(uniqueKeysWithValues: services.map { ($0.name, channel as any ClientTransport) })
        let names = services.map(\.name)
        var configuration = GatewayConfiguration()
        configuration.corsAllowedOrigins = [corsOrigin]
        let builtIns = BuiltInEndpoints(
            readiness: BuiltInEndpoints.healthReadiness(Dictionary(uniqueKeysWithValues: names.map { ($0, channel.channels as [any ClientTransport]) })),
            openAPIDocument: BuiltInEndpoints.restrictedOpenAPIDocument(Array(OpenAPIDocument.json.utf8), servingOnly: names))
        // The web app the repository ships (web/), as tools/up serves it.
        let webApp = try StaticFiles(folder: PythonPeer.repository.appendingPathComponent("web").path)
        let gateway = try Gateway(
            services: services, backends: backends, configuration: configuration, builtIns: builtIns, rateLimits: rateLimits,
            staticFiles: webApp)
        let tls = try ReloadableTLSContext(configuration: HTTPServerConfiguration.tlsConfiguration(
            certificateChainFile: platform.certificates.serverCertificateFile, privateKeyFile: platform.certificates.serverKeyFile))
        var serverConfiguration = HTTPServerConfiguration(port: 0, tls: tls)
        serverConfiguration.eventLoopGroup = group
        let server = HTTPServer(configuration: serverConfiguration, handler: gateway)
        return RunningGateway(server: server, port: try await server.start(), channel: channel, group: group)
    }

    /// A started gateway and what it runs on.
    struct RunningGateway {
        let server: HTTPServer
        let port: Int
        let channel: EventLoopAffineChannel
        let group: MultiThreadedEventLoopGroup

        func stop() async {
            await server.stop(gracePeriod: .seconds(1))
            await channel.close()
            try? await group.shutdownGracefully()
        }
    }

    /// Rate limits keyed by verified user, in this run's Redis namespace.
    static func limits(_ platform: PlatformHarness, name: String, burst: Int, perSecond: Double) -> GatewayRateLimits {
        let verifier = AccessTokenVerifierBox(platform)
        let policy = TokenBucketPolicy(capacity: burst, refillPerSecond: perSecond)
        return GatewayRateLimits(
            perAddress: RedisRateLimiter(client: platform.redis, namespace: platform.redisNamespace + ":\(name):address", policy: policy),
            perUser: RedisRateLimiter(client: platform.redis, namespace: platform.redisNamespace + ":\(name):user", policy: policy),
            userKey: { token in verifier.subject(of: token) })
    }

    /// The main gateway has no rate limits: every request takes the task-free path (`Gateway.start`) from routing
    /// to the response. The limited one, and schemathesis's, wait for Redis's decision in a task first.
    @Test("httpx calls every route over HTTP/1.1 and HTTP/2, with bad input, headers and rate limits")
    func httpx() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let gateway = try await Self.startGateway(platform, rateLimits: GatewayRateLimits())
        let limited = try await Self.startGateway(platform, rateLimits: Self.limits(platform, name: "gw-tight", burst: 5, perSecond: 0.1))
        let (port, limitedPort) = (gateway.port, limited.port)
        let track = platform.catalog.tracks[77]
        let arguments = [
            "gateway_client.py", "--url", "https://localhost:\(port)", "--limited-url", "https://localhost:\(limitedPort)",
            "--tls-ca", platform.certificates.caFile, "--track-id", track.id, "--query", "\(track.title) \(track.artistName)",
            "--cors-origin", Self.corsOrigin,
        ]
        let output = try await Task.detached { try PythonPeer.run(arguments) }.value
        await gateway.stop()
        await limited.stop()
        await platform.stop()
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains(" passed, 0 failed"), "\(output.text)")
    }

    @Test("schemathesis finds no server error and no response outside the OpenAPI document")
    func schemathesis() async throws {
        guard let platform = try await PlatformHarness.start() else { return }
        let gateway = try await Self.startGateway(platform, rateLimits: Self.limits(platform, name: "gw-st", burst: 100_000, perSecond: 10_000))
        let port = gateway.port
        let arguments = [
            "gateway_schemathesis.py", "--url", "https://localhost:\(port)", "--tls-ca", platform.certificates.caFile,
        ]
        let output = try await Task.detached { try PythonPeer.run(arguments) }.value
        await gateway.stop()
        await platform.stop()
        #expect(output.status == 0, "\(output.text)")
        #expect(output.text.contains("test cases, no failure"), "\(output.text)")
    }
}

/// The platform's token verifier as a rate-limit key function.
struct AccessTokenVerifierBox: Sendable {
    let verifier: AccessTokenVerifier

    init(_ platform: PlatformHarness) {
        verifier = AccessTokenVerifier(keys: platform.signingKeys.verificationKeys, settings: platform.tokenSettings)
    }

    func subject(of token: String) -> String? { try? verifier.verify(token).subject }
}
