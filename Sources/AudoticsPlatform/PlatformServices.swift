public import AudoticsAuth
public import AudoticsHealth
import AudoticsHealthAPI
import AudoticsMusic
import AudoticsPlaylists
public import AudoticsPostgres
public import AudoticsRPC
public import AudoticsRedisClient
import AudoticsReflection
import AudoticsAPI
import AudoticsUsers
public import Logging
public import Metrics

/// Composes the platform's services into one router: the chosen services over shared dependencies, plus health
/// and reflection, behind logging and authentication. `audotics serve` and the integration tests build servers
/// with it, so tests exercise exactly what runs.
public enum PlatformServices {
    /// The services a process can host.
    public static let known = ["user", "music", "playlist"]

    /// What the services share.
    public struct Dependencies: Sendable {
        /// The database pool.
        public var pool: PostgresPool
        /// The Redis client (rate limits, caches).
        public var redis: RedisClient
        /// The token signing keys (UserService signs; every service verifies with the public halves).
        public var signingKeys: SigningKeySet
        /// Issuer, audience and lifetime of access tokens.
        public var tokenSettings: AccessTokenSettings
        /// The prefix of the services' Redis keys.
        public var redisNamespace: String
        /// How PlaylistService reaches MusicService when this process does not host it (a `GRPCChannel`).
        public var musicTransport: (any ClientTransport)?
        /// Where the RPC metrics go (`rpc_server_*` per method and status); nil: none are kept.
        public var metrics: (any MetricsFactory)?
        /// Addresses of the gateways in front of UserService, whose `x-forwarded-for` names the client.
        public var trustedProxies: Set<String> = []

        /// Creates the dependencies.
        public init(
            pool: PostgresPool, redis: RedisClient, signingKeys: SigningKeySet, tokenSettings: AccessTokenSettings,
            redisNamespace: String = "audotics", musicTransport: (any ClientTransport)? = nil, metrics: (any MetricsFactory)? = nil
        ) {
            self.metrics = metrics
            self.pool = pool
            self.redis = redis
            self.signingKeys = signingKeys
            self.tokenSettings = tokenSettings
            self.redisNamespace = redisNamespace
            self.musicTransport = musicTransport
        }
    }

    /// The router serving `services` (names from `known`), and the health service to mark shutdown on.
    public static func makeRouter(
        services: [String], dependencies: Dependencies, logger: Logger
    ) -> (router: RPCRouter, health: HealthService) {
        let health = HealthService()
        var hosted: [any RPCService] = []
        var files = [HealthProtoFile.descriptor]
        if services.contains("user") {
            hosted.append(UserService(
                store: PostgresAccountStore(pool: dependencies.pool),
                issuer: AccessTokenIssuer(keys: dependencies.signingKeys, settings: dependencies.tokenSettings),
                passwords: PasswordHashingPool(),
                protection: RedisLoginProtection(client: dependencies.redis, namespace: dependencies.redisNamespace + ":users"),
                profiles: RedisCache(client: dependencies.redis, namespace: dependencies.redisNamespace + ":users:profile"),
                trustedProxies: dependencies.trustedProxies))
            files.append(UserProtoFile.descriptor)
            health.setStatus(.serving, for: UserService.name)
        }
        if services.contains("music") {
            hosted.append(MusicService(repository: CachedCatalogRepository(
                base: PostgresCatalogRepository(pool: dependencies.pool),
                cache: RedisCache(client: dependencies.redis, namespace: dependencies.redisNamespace + ":" + CachedCatalogRepository.namespace))))
            files.append(MusicProtoFile.descriptor)
            health.setStatus(.serving, for: MusicService.name)
        }
        let verifier = AccessTokenVerifier(keys: dependencies.signingKeys.verificationKeys, settings: dependencies.tokenSettings)
        if services.contains("playlist") {
            // MusicService in this process: called in-process (still through its API and its authentication, never
            // its tables); otherwise over the fabric.
            let transport = dependencies.musicTransport ?? InProcessTransport(router: RPCRouter(
                services: [MusicService(repository: PostgresCatalogRepository(pool: dependencies.pool))],
                interceptors: [AuthenticationInterceptor(verifier: verifier)]))
            hosted.append(PlaylistService(pool: dependencies.pool, tracks: MusicTrackLookup(client: MusicServiceClient(transport: transport))))
            files.append(PlaylistProtoFile.descriptor)
            health.setStatus(.serving, for: PlaylistService.name)
        }
        let reflection = ReflectionService(files: files, listing: hosted + [health])
        let router = RPCRouter(
            services: hosted + [health, reflection],
            interceptors: (dependencies.metrics.map { [MetricsServerInterceptor(factory: $0)] } ?? []) + [
                LoggingServerInterceptor(logger: logger), AuthenticationInterceptor(verifier: verifier),
                ErrorMappingInterceptor(logger: logger),
            ])
        return (router, health)
    }
}
