import ArgumentParser
import AudoticsAPI
import AudoticsAuth
import AudoticsHealth
import AudoticsHealthAPI
import AudoticsMigrations
import AudoticsMusic
import AudoticsPlatform
import AudoticsPostgres
import AudoticsRPC
import AudoticsRedisClient
import AudoticsReflection
import AudoticsTLS
import AudoticsTransport
import AudoticsUsers
import Foundation
import Logging
import Metrics
import Prometheus
import AudoticsHTTPServer
import Synchronization

/// `audotics serve <service…>`: runs services on one gRPC server (TLS, or h2c when asked for) with health,
/// reflection, logging and authentication.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve platform services over gRPC (HTTP/2, TLS).",
        discussion: """
            Services: user, music, playlist, or all (the default). Every method needs an access token except UserService's \
            Register, Login, Refresh, Logout and GetJwks, health and reflection. Tokens are verified with the keys \
            in --keys (created for local use when missing). Stops gracefully on SIGTERM or SIGINT: in-flight \
            calls finish within the grace period, new ones are refused.
            """
    )

    @Argument(help: "The services to run: user, music, or all.")
    var services: [String] = ["all"]

    @Option(name: .long, help: "TCP port to listen on (0 picks a free one).")
    var port = 50051

    @Option(name: .long, help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "PEM certificate chain file (TLS; default: $AUDOTICS_TLS_CERT).")
    var tlsCert: String?

    @Option(name: .long, help: "PEM private key file of the certificate (default: $AUDOTICS_TLS_KEY).")
    var tlsKey: String?

    @Flag(name: .long, help: "Serve plaintext HTTP/2 (h2c) without TLS: for local use only.")
    var plaintext = false

    @Option(name: .long, help: "libpq connection URL (default: $AUDOTICS_DATABASE_URL).")
    var databaseURL: String?

    @Option(name: .long, help: "Redis URL (default: $AUDOTICS_REDIS_URL).")
    var redisURL: String?

    @Option(name: .long, help: "Folder of the token signing keys (default: $AUDOTICS_KEYS, else $AUDOTICS_DATA/keys).")
    var keys: String?

    @Option(name: .long, help: "The access tokens' issuer.")
    var issuer = "audotics"

    @Option(name: .long, help: "The access tokens' audience.")
    var audience = "audotics-api"

    @Option(name: .long, help: "Most database connections.")
    var databaseConnections = 8

    @Option(name: .long, help: "Event-loop threads (default: one per core).")
    var threads: Int?

    @Flag(name: .long, help: "Apply pending database migrations before serving.")
    var migrate = false

    @Option(name: .long, help: "host:port of MusicService, for PlaylistService when this process does not serve music.")
    var musicBackend: String?

    @Option(name: .long, help: "PEM CA file MusicService's certificate chains to (default: $AUDOTICS_TLS_CA; none: h2c).")
    var backendCA: String?

    @Option(name: .long, help: "Serve Prometheus metrics (RPCs by method and status) on http://HOST:PORT/metrics; 0 picks a free port.")
    var metricsPort: Int?

    @Option(name: .long, help: "Address of a gateway in front of UserService, whose X-Forwarded-For names the client (repeatable).")
    var trustedProxy: [String] = []

    static let known = PlatformServices.known

    /// The certificate and key files: the options, else the environment (as `tools/up` sets it).
    var tlsFiles: (certificate: String, key: String)? {
        let environment = ProcessInfo.processInfo.environment
        guard !plaintext,
            let certificate = tlsCert ?? environment["AUDOTICS_TLS_CERT"], let key = tlsKey ?? environment["AUDOTICS_TLS_KEY"],
            !certificate.isEmpty, !key.isEmpty
        else { return nil }
        return (certificate, key)
    }

    /// The services named, with `all` expanded.
    var chosenServices: [String] {
        services.contains("all") ? Self.known : services
    }

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tlsFiles == nil && !plaintext {
            throw ValidationError("give --tls-cert and --tls-key (or set AUDOTICS_TLS_CERT and AUDOTICS_TLS_KEY), or --plaintext for local use")
        }
        for service in services where !Self.known.contains(service) && service != "all" {
            throw ValidationError("unknown service \(service) (known: \(Self.known.joined(separator: ", ")))")
        }
        guard (1...256).contains(databaseConnections) else { throw ValidationError("--database-connections must be 1...256") }
        if let metricsPort, !(0...65535).contains(metricsPort) { throw ValidationError("--metrics-port must be 0...65535") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let databaseURL = databaseURL ?? environment["AUDOTICS_DATABASE_URL"], !databaseURL.isEmpty else {
            throw ValidationError("give --database-url or set AUDOTICS_DATABASE_URL")
        }
        guard let redisURL = redisURL ?? environment["AUDOTICS_REDIS_URL"], !redisURL.isEmpty else {
            throw ValidationError("give --redis-url or set AUDOTICS_REDIS_URL")
        }
        let logger = Logger(label: "audotics.serve")
        if migrate {
            // On a thread of its own: libpq's blocking calls stay off the cooperative pool.
            let report = try await MigrationRunner.migrateOnStartUp(
                connectionString: PostgresConnectionString(databaseURL), catalog: MigrationCatalog.bundled())
            logger.info("migrations: \(report.applied.count) applied, \(report.alreadyApplied) already up to date")
        }

        var poolConfiguration = try PostgresPool.Configuration(url: databaseURL)
        poolConfiguration.maxConnections = databaseConnections
        let pool = PostgresPool(configuration: poolConfiguration)
        let redis = RedisClient(configuration: try RedisConfiguration(url: redisURL))
        let keyFolder = keys ?? environment["AUDOTICS_KEYS"] ?? (environment["AUDOTICS_DATA"].map { $0 + "/keys" } ?? "data/keys")
        let signingKeys = try SigningKeySet.loadOrCreateDevelopmentKeys(in: keyFolder)
        let settings = AccessTokenSettings(issuer: issuer, audience: audience)

        // Metrics first, so that everything created later reports to Prometheus.
        let metricsEndpoint = metricsPort.map { _ in MetricsEndpoint() }
        let metricsFactory = metricsEndpoint.map { PrometheusMetricsFactory(registry: $0.registry) }
        if let metricsFactory { MetricsSystem.bootstrap(metricsFactory) }

        // PlaylistService asks MusicService about tracks: over the fabric when music runs elsewhere.
        var musicChannel: GRPCChannel?
        if let musicBackend, !chosenServices.contains("music") {
            guard let endpoint = GatewayCommand.endpoint(musicBackend) else { throw ValidationError("--music-backend \(musicBackend): expected HOST:PORT") }
            var security = ChannelSecurity.plaintext
            if let ca = backendCA ?? environment["AUDOTICS_TLS_CA"], !ca.isEmpty {
                security = .tls(context: try ReloadableTLSContext(configuration: .client(trustRootsFile: ca)), serverHostname: "localhost")
            }
            musicChannel = GRPCChannel(endpoints: [endpoint], configuration: GRPCChannelConfiguration(security: security))
        }
        var dependencies = PlatformServices.Dependencies(
            pool: pool, redis: redis, signingKeys: signingKeys, tokenSettings: settings, musicTransport: musicChannel,
            metrics: metricsFactory)
        dependencies.trustedProxies = Set(trustedProxy)
        let (router, health) = PlatformServices.makeRouter(
            services: chosenServices,
            dependencies: dependencies,
            logger: logger)

        var configuration = GRPCServerConfiguration(host: host, port: port)
        if let threads { configuration.threads = threads }
        if let (certificate, key) = tlsFiles {
            configuration.tls = try ReloadableTLSContext(configuration: .server(certificateChainFile: certificate, privateKeyFile: key))
        }
        let server = try await GRPCServer(configuration: configuration, router: router).start()
        print("audotics serve: \(chosenServices.joined(separator: ", ")) on \(host):\(server.port) (\(configuration.tls == nil ? "h2c" : "TLS, h2"))")

        var metricsServer: HTTPServer?
        if let metricsEndpoint, let metricsPort {
            let server = HTTPServer(configuration: HTTPServerConfiguration(host: host, port: metricsPort, threads: 1), handler: metricsEndpoint)
            print("audotics serve: metrics on http://\(host):\(try await server.start())/metrics")
            metricsServer = server
        }
        fflush(nil)  // the start-up lines reach a log file at once

        await waitForShutdownSignal()
        logger.info("shutting down")
        await metricsServer?.stop(gracePeriod: .seconds(1))
        health.shutdown()
        try await server.stop()
        await musicChannel?.close()
        await redis.shutdown()
        await pool.shutdown()
    }
}

/// Suspends until SIGTERM or SIGINT arrives (both are then handled here instead of ending the process).
func waitForShutdownSignal() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumed = Mutex(false)
        let holder = SignalSourceHolder()
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            // The handler holds the holder, which holds the source: the sources live as long as the process,
            // which ends soon after the shutdown they announce.
            source.setEventHandler {
                _ = holder
                let first = resumed.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume() }
            }
            source.resume()
            holder.sources.append(source)
        }
    }
}

/// Keeps signal sources alive.
private final class SignalSourceHolder {
    var sources: [any DispatchSourceSignal] = []
}
