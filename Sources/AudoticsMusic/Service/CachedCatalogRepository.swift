public import AudoticsAPI
public import AudoticsRedisClient
import AudoticsProtobuf

/// A `CatalogRepository` that keeps track details in Redis (cache-aside): reads try the cache first (one `MGET`
/// for a batch), misses go to the underlying repository and are stored with `ttl`. Everything else passes through.
///
/// Tracks change only when a catalog is loaded; `audotics seed` invalidates the keys of the tracks it wrote, and the
/// TTL (5 minutes by default) bounds staleness otherwise. With Redis down every read is a miss: slower, never wrong.
public struct CachedCatalogRepository: CatalogRepository {
    /// Where misses go.
    public let base: any CatalogRepository
    /// The track cache (keys are track IDs).
    public let cache: RedisCache
    /// How long a cached track lives.
    public let ttl: Duration

    /// The namespace of track keys, shared with the loader that invalidates them.
    public static let namespace = "music:track"

    /// Creates the repository.
    public init(base: any CatalogRepository, cache: RedisCache, ttl: Duration = .seconds(300)) {
        self.base = base
        self.cache = cache
        self.ttl = ttl
    }

    public func track(id: String, deadline: ContinuousClock.Instant?) async throws -> Track? {
        if let bytes = await cache.get(id), let track = try? Track(serializedBytes: bytes) { return track }
        guard let track = try await base.track(id: id, deadline: deadline) else { return nil }
        _ = await cache.set(id, to: track.serializedBytes(), ttl: ttl)
        return track
    }

    public func tracks(ids: [String], deadline: ContinuousClock.Instant?) async throws -> [String: Track] {
        guard !ids.isEmpty else { return [:] }
        var found: [String: Track] = [:]
        var missing: [String] = []
        for (id, bytes) in zip(ids, await cache.get(ids)) {
            if let bytes, let track = try? Track(serializedBytes: bytes) {
                found[id] = track
            } else {
                missing.append(id)
            }
        }
        if !missing.isEmpty {
            let loaded = try await base.tracks(ids: missing, deadline: deadline)
            for (id, track) in loaded {
                found[id] = track
                _ = await cache.set(id, to: track.serializedBytes(), ttl: ttl)
            }
        }
        return found
    }

    public func search(_ search: CatalogSearch, deadline: ContinuousClock.Instant?) async throws -> (tracks: [Track], total: Int) {
        try await base.search(search, deadline: deadline)
    }

    public func artist(id: String, deadline: ContinuousClock.Instant?) async throws -> Artist? {
        try await base.artist(id: id, deadline: deadline)
    }

    public func album(id: String, deadline: ContinuousClock.Instant?) async throws -> Album? {
        try await base.album(id: id, deadline: deadline)
    }

    public func history(_ query: HistoryQuery, deadline: ContinuousClock.Instant?) async throws -> [HistoryEntry] {
        try await base.history(query, deadline: deadline)
    }
}
