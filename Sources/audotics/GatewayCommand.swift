import ArgumentParser
import AudoticsAPI
import AudoticsAuth
import AudoticsGateway
import AudoticsHTTPServer
import AudoticsRPC
import AudoticsRedisClient
import AudoticsTLS
import AudoticsTransport
import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus

/// `audotics gateway`: the JSON edge (HTTP/1.1 and HTTP/2, TLS or local plaintext) in front of the services.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Serve the platform's JSON API over HTTP/1.1 and HTTP/2, calling the services over gRPC.",
        discussion: """
            Routes come from the protos' google.api.http annotations; every unary RPC is also POST /<service>/<method>. \
            The services are reached at --backend (all of them) or --service-backend NAME=HOST:PORT (one of them), over \
            TLS trusting --backend-ca, or plaintext with --backend-plaintext. See docs/gateway.md for every limit.
            """
    )

    @Option(name: .long, help: "TCP port to listen on (0 picks a free one).")
    var port = 8080

    @Option(name: .long, help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "PEM certificate chain file (TLS; default: $AUDOTICS_TLS_CERT).")
    var tlsCert: String?

    @Option(name: .long, help: "PEM private key file of the certificate (default: $AUDOTICS_TLS_KEY).")
    var tlsKey: String?

    @Flag(name: .long, help: "Serve plaintext HTTP/1.1 and h2c: for local use only.")
    var plaintext = false

    @Option(name: .long, help: "host:port of the services (default: $AUDOTICS_BACKEND, else 127.0.0.1:50051).")
    var backend: String?

    @Option(name: .long, help: "NAME=HOST:PORT for one service (user, music, playlist); repeatable.")
    var serviceBackend: [String] = []

    @Option(name: .long, help: "PEM CA file the services' certificates chain to (default: $AUDOTICS_TLS_CA).")
    var backendCA: String?

    @Option(name: .long, help: "The name the services' certificates carry.")
    var backendHostname = "localhost"

    @Flag(name: .long, help: "Call the services over plaintext h2c.")
    var backendPlaintext = false

    @Option(name: .long, help: "Redis URL for rate limits (default: $AUDOTICS_REDIS_URL; none: no rate limits).")
    var redisURL: String?

    @Option(name: .long, help: "Requests a client address may burst.")
    var addressBurst = 200

    @Option(name: .long, help: "Requests per second a client address gets back.")
    var addressRate = 50.0

    @Option(name: .long, help: "Requests a user (token) may burst.")
    var userBurst = 100

    @Option(name: .long, help: "Requests per second a user gets back.")
    var userRate = 20.0

    @Option(name: .long, help: "Folder of the token keys, to key user rate limits by verified user ID (default: $AUDOTICS_KEYS, else $AUDOTICS_DATA/keys).")
    var keys: String?

    @Option(name: .long, help: "Origin allowed by CORS (repeatable; * for any).")
    var corsOrigin: [String] = []

    @Option(name: .long, help: "Folder of the web app's static files.")
    var staticFiles: String?

    @Flag(name: .long, help: "Serve /metrics (Prometheus text).")
    var metrics = false

    @Option(name: .long, help: "Largest request body in bytes.")
    var maxBodyBytes = 1 << 20

    @Option(name: .long, help: "Deadline of a request that names none, in seconds.")
    var defaultTimeout = 15.0

    @Option(name: .long, help: "Longest deadline a request may ask for, in seconds.")
    var maxTimeout = 60.0

    @Option(name: .long, help: "Event-loop threads (default: one per core).")
    var threads: Int?

    static let serviceNames = ["user": UserService.name, "music": MusicService.name, "playlist": PlaylistService.name]

    var tlsFiles: (certificate: String, key: String)? {
        let environment = ProcessInfo.processInfo.environment
        guard !plaintext, let certificate = tlsCert ?? environment["AUDOTICS_TLS_CERT"], let key = tlsKey ?? environment["AUDOTICS_TLS_KEY"],
            !certificate.isEmpty, !key.isEmpty
        else { return nil }
        return (certificate, key)
    }

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsFiles == nil && !plaintext {
            throw ValidationError("give --tls-cert and --tls-key (or set AUDOTICS_TLS_CERT and AUDOTICS_TLS_KEY), or --plaintext for local use")
        }
        for entry in serviceBackend {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, Self.serviceNames[String(parts[0])] != nil, Self.endpoint(String(parts[1])) != nil else {
                throw ValidationError("--service-backend \(entry): expected NAME=HOST:PORT with NAME one of user, music, playlist")
            }
        }
        guard addressBurst > 0, userBurst > 0, addressRate > 0, userRate > 0 else { throw ValidationError("rate limits must be positive") }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be 1...256") }
        guard maxBodyBytes > 0, defaultTimeout > 0, maxTimeout >= defaultTimeout else {
            throw ValidationError("--max-body-bytes must be positive and --max-timeout at least --default-timeout")
        }
    }

    static func endpoint(_ text: String) -> GRPCEndpoint? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host.isEmpty ? nil : GRPCEndpoint(host: host, port: port)
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var logger = Logger(label: "audotics.gateway")
        logger.logLevel = .info

        // Metrics first, so that everything created later reports to Prometheus.
        let registry = PrometheusCollectorRegistry()
        if metrics { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }

        // One channel per distinct backend address; each service picks its own.
        let defaultBackend = backend ?? environment["AUDOTICS_BACKEND"] ?? "127.0.0.1:50051"
        guard let defaultEndpoint = Self.endpoint(defaultBackend) else { throw ValidationError("--backend \(defaultBackend): expected HOST:PORT") }
        var addresses = Dictionary(uniqueKeysWithValues: Self.serviceNames.values.map { ($0, defaultBackend) })
        for entry in serviceBackend {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            addresses[Self.serviceNames[parts[0]]!] = parts[1]
        }
        let security: ChannelSecurity
        if backendPlaintext {
            security = .plaintext
        } else {
            guard let ca = backendCA ?? environment["AUDOTICS_TLS_CA"], !ca.isEmpty else {
                throw ValidationError("give --backend-ca (or set AUDOTICS_TLS_CA) to call the services over TLS, or --backend-plaintext")
            }
            security = .tls(context: try ReloadableTLSContext(configuration: .client(trustRootsFile: ca)), serverHostname: backendHostname)
        }
        let eventLoops: any EventLoopGroup = threads.map { MultiThreadedEventLoopGroup(numberOfThreads: $0) } ?? MultiThreadedEventLoopGroup.singleton
        // Per backend address, a channel on each event loop: a request's call stays on the request's thread.
        var channels: [String: EventLoopAffineChannel] = [:]
        for address in Set(addresses.values) {
            let endpoint = Self.endpoint(address) ?? defaultEndpoint
            channels[address] = EventLoopAffineChannel(
                endpoints: [endpoint], configuration: GRPCChannelConfiguration(security: security), group: eventLoops)
        }
        let backends = addresses.mapValues { channels[$0]! as any ClientTransport }
        let services = AudoticsV1Services.all.filter { addresses[$0.name] != nil }

        var limits = GatewayRateLimits()
        var redis: RedisClient?
        if let redisURL = redisURL ?? environment["AUDOTICS_REDIS_URL"], !redisURL.isEmpty {
            let client = RedisClient(configuration: try RedisConfiguration(url: redisURL))
            redis = client
            limits.perAddress = RedisRateLimiter(
                client: client, namespace: "audotics:gateway", policy: TokenBucketPolicy(capacity: addressBurst, refillPerSecond: addressRate))
            limits.perUser = RedisRateLimiter(
                client: client, namespace: "audotics:gateway", policy: TokenBucketPolicy(capacity: userBurst, refillPerSecond: userRate))
        }
        // Verification only: the folder's keys are read, never created (the services own them).
        let keyFolder = keys ?? environment["AUDOTICS_KEYS"] ?? environment["AUDOTICS_DATA"].map { $0 + "/keys" }
        let currentKey = keyFolder.map { $0 + "/" + SigningKeySet.developmentCurrentKeyFile }
        if keys != nil, let currentKey, !FileManager.default.fileExists(atPath: currentKey) {
            throw ValidationError("--keys \(keys!): no \(SigningKeySet.developmentCurrentKeyFile) there")
        }
        if let keyFolder, let currentKey, FileManager.default.fileExists(atPath: currentKey) {
            let verifier = AccessTokenVerifier(
                keys: try SigningKeySet.loadOrCreateDevelopmentKeys(in: keyFolder).verificationKeys,
                settings: AccessTokenSettings(issuer: "audotics", audience: "audotics-api"))
            // A verified token's user; anything else falls back to the token's hash.
            limits.userKey = { token in try? verifier.verify(token).subject }
        } else if redis != nil {
            logger.warning("no token keys found: per-user rate limits count each token apart (give --keys to key them by user)")
        }

        var configuration = GatewayConfiguration()
        configuration.maxBodyBytes = maxBodyBytes
        configuration.defaultTimeout = .milliseconds(Int64(defaultTimeout * 1000))
        configuration.maxTimeout = .milliseconds(Int64(maxTimeout * 1000))
        configuration.corsAllowedOrigins = corsOrigin
        // Ready when every service answers SERVING on the channel of every event loop (a loop whose connection
        // is still backing off would fail its requests).
        let builtIns = BuiltInEndpoints(
            readiness: BuiltInEndpoints.healthReadiness(addresses.mapValues { channels[$0]!.channels }),
            openAPIDocument: BuiltInEndpoints.restrictedOpenAPIDocument(Array(OpenAPIDocument.json.utf8), servingOnly: services.map(\.name)),
            metrics: metrics ? { @Sendable in registry.emitToString() } : nil)
        let gateway = try Gateway(
            services: services, backends: backends, configuration: configuration, builtIns: builtIns, rateLimits: limits,
            staticFiles: try staticFiles.map { folder throws(GatewayConfigurationError) in try StaticFiles(folder: folder) }, logger: logger)

        var serverConfiguration = HTTPServerConfiguration(host: host, port: port, tls: nil)
        // One group for the HTTP connections and the service channels: a request's calls can stay on its thread.
        serverConfiguration.eventLoopGroup = eventLoops
        serverConfiguration.limits.maxBodyBytes = maxBodyBytes
        if let (certificate, key) = tlsFiles {
            serverConfiguration.tls = try ReloadableTLSContext(configuration: HTTPServerConfiguration.tlsConfiguration(
                certificateChainFile: certificate, privateKeyFile: key))
        }
        let server = HTTPServer(configuration: serverConfiguration, handler: gateway)
        let boundPort = try await server.start()
        print("audotics gateway: \(serverConfiguration.tls == nil ? "http" : "https")://\(host):\(boundPort) -> services at \(Set(addresses.values).sorted().joined(separator: ", "))")
        fflush(nil)  // the start-up line reaches a log file at once

        await waitForShutdownSignal()
        logger.info("shutting down")
        await server.stop(gracePeriod: .seconds(10))
        for channel in channels.values { await channel.close() }
        await redis?.shutdown()
    }
}
