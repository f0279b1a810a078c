import AudoticsAuth
import AudoticsMigrations
import AudoticsMusic
import AudoticsPlatform
import AudoticsPostgres
import AudoticsRPC
import AudoticsRedisClient
import AudoticsTLS
import AudoticsTestSupport
import AudoticsTransport
import Foundation
import Logging
import Testing

/// The platform as `audotics serve` runs it, for end-to-end tests: a scratch database (migrated, seeded with a
/// small generated catalog), the test Redis (keys under a namespace of its own), fresh signing keys, and a gRPC
/// server over TLS on 127.0.0.1; clients reach it through a `GRPCChannel`, like any other.
final class PlatformHarness: Sendable {
    let server: RunningGRPCServer
    let channel: GRPCChannel
    let pool: PostgresPool
    let redis: RedisClient
    let catalog: Catalog
    let signingKeys: SigningKeySet
    let tokenSettings: AccessTokenSettings
    let certificates: TestCertificates
    let redisNamespace: String
    private let adminURL: String
    private let databaseName: String
    private let keyFolder: String

    static let catalogSize = 2_000

    private init(
        server: RunningGRPCServer, channel: GRPCChannel, pool: PostgresPool, redis: RedisClient, catalog: Catalog,
        signingKeys: SigningKeySet, tokenSettings: AccessTokenSettings, certificates: TestCertificates, redisNamespace: String,
        adminURL: String, databaseName: String, keyFolder: String
    ) {
        self.redisNamespace = redisNamespace
        self.server = server
        self.channel = channel
        self.pool = pool
        self.redis = redis
        self.catalog = catalog
        self.signingKeys = signingKeys
        self.tokenSettings = tokenSettings
        self.certificates = certificates
        self.adminURL = adminURL
        self.databaseName = databaseName
        self.keyFolder = keyFolder
    }

    /// Starts everything, or records an issue and returns nil when the test services are not configured.
    /// Starts the platform on a scratch database of the test PostgreSQL (or of the server at `adminURL`).
    static func start(adminURL customAdminURL: String? = nil) async throws -> PlatformHarness? {
        let environment = ProcessInfo.processInfo.environment
        guard let adminURL = customAdminURL ?? environment["AUDOTICS_TEST_DATABASE_URL"], !adminURL.isEmpty,
            let redisURL = environment["AUDOTICS_TEST_REDIS_URL"], !redisURL.isEmpty
        else {
            Issue.record("AUDOTICS_TEST_DATABASE_URL and AUDOTICS_TEST_REDIS_URL are not set: run the tests with tools/test")
            return nil
        }
        let suffix = UInt32.random(in: 0...UInt32.max)
        let databaseName = "audotics_platform_\(suffix)"
        let databaseURL = replacingDatabase(in: adminURL, with: databaseName)
        let catalog = CatalogGenerator(seed: 11, trackCount: catalogSize).generate()
        try await blocking {
            let admin = try PostgresConnection(url: adminURL)
            _ = try admin.execute("CREATE DATABASE \(databaseName)")
            let connection = try PostgresConnection(url: databaseURL)
            _ = try MigrationRunner(connection: connection, catalog: MigrationCatalog.bundled()).migrate()
            _ = try CatalogLoader().load(catalog, into: connection)
        }
        let pool = PostgresPool(configuration: try PostgresPool.Configuration(url: databaseURL))
        let redis = RedisClient(configuration: try RedisConfiguration(url: redisURL))
        let keyFolder = NSTemporaryDirectory() + "audotics-keys-\(suffix)"
        let signingKeys = try SigningKeySet.loadOrCreateDevelopmentKeys(in: keyFolder)
        let tokenSettings = AccessTokenSettings(issuer: "audotics-test", audience: "audotics-test-api")
        let (router, _) = PlatformServices.makeRouter(
            services: PlatformServices.known,
            dependencies: .init(
                pool: pool, redis: redis, signingKeys: signingKeys, tokenSettings: tokenSettings,
                redisNamespace: "test-\(suffix)"),
            logger: Logger(label: "audotics.test"))
        let certificates = try TestCertificates()
        let tls = try ReloadableTLSContext(configuration: .server(
            certificateChainFile: certificates.serverCertificateFile, privateKeyFile: certificates.serverKeyFile))
        let server = try await GRPCServer(configuration: GRPCServerConfiguration(port: 0, threads: 1, tls: tls), router: router).start()
        let clientTLS = try ReloadableTLSContext(configuration: .client(trustRootsFile: certificates.caFile))
        let channel = GRPCChannel(
            endpoints: [GRPCEndpoint(host: "127.0.0.1", port: server.port)],
            configuration: GRPCChannelConfiguration(security: .tls(context: clientTLS, serverHostname: "localhost")))
        return PlatformHarness(
            server: server, channel: channel, pool: pool, redis: redis, catalog: catalog, signingKeys: signingKeys,
            tokenSettings: tokenSettings, certificates: certificates, redisNamespace: "test-\(suffix)", adminURL: adminURL,
            databaseName: databaseName,
            keyFolder: keyFolder)
    }

    /// Stops everything and drops the database.
    func stop() async {
        await channel.close()
        try? await server.stop()
        await redis.shutdown()
        await pool.shutdown()
        let adminURL = self.adminURL
        let databaseName = self.databaseName
        try? await blocking {
            let admin = try PostgresConnection(url: adminURL)
            _ = try admin.execute("DROP DATABASE IF EXISTS \(databaseName) WITH (FORCE)")
        }
        try? FileManager.default.removeItem(atPath: keyFolder)
    }

    /// Call options carrying an access token.
    static func authorized(_ token: String, timeout: Duration = .seconds(10)) -> CallOptions {
        CallOptions(timeout: timeout, metadata: ["authorization": .string("Bearer \(token)")])
    }
}

/// Runs blocking setup work (libpq's blocking connection) on a thread of its own, off the cooperative pool.
func blocking(_ body: @escaping @Sendable () throws -> Void) async throws {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        Thread {
            do {
                try body()
                continuation.resume()
            } catch {
                continuation.resume(throwing: error)
            }
        }.start()
    }
}
