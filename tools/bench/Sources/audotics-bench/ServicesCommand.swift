import ArgumentParser
import AudoticsAPI
import AudoticsAuth
import AudoticsMigrations
import AudoticsMusic
import AudoticsPlatform
import AudoticsPostgres
import AudoticsRPC
import AudoticsRedisClient
import AudoticsTLS
import AudoticsTransport
import Foundation
import Logging
import Synchronization

/// `audotics-bench services`: the platform's services end to end (gRPC over TLS, PostgreSQL, Redis) in one
/// process with their load: GetTrack uncached and cached, SearchTracks and AddTracks (requests/s, p50, p99), and
/// the pool's own point-select rate. `tools/bench/services-bench` prepares the database and runs `pgbench -S`
/// beside it for the ceiling.
struct ServicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "Load the services end to end against a migrated, seeded database; print requests/s and latencies.")

    @Option(name: .long, help: "libpq URL of a migrated database with the demo catalog.")
    var databaseURL: String

    @Option(name: .long, help: "Redis URL.")
    var redisURL: String

    @Option(name: .long, help: "TLS certificate and key of the server, and the CA clients trust.")
    var tlsCert: String

    @Option(name: .long)
    var tlsKey: String

    @Option(name: .long)
    var tlsCA: String

    @Option(name: .long, help: "Database connections in the pool (pgbench uses as many).")
    var connections = 8

    @Option(name: .long, help: "Concurrent client tasks.")
    var clients = 32

    @Option(name: .long, help: "Seconds per workload.")
    var seconds = 5

    @Option(name: .long, help: "Migrate, and seed a catalog of this many tracks when the database has none.")
    var prepareTracks = 50_000

    @Option(name: .long, help: "h2load, to load uncached GetTrack from a C client as pgbench does (empty: skip).")
    var h2load = ""

    @Option(name: .long, help: "h2load's connections and streams per connection.")
    var h2loadConnections = 8

    @Option(name: .long, help: "Streams per h2load connection; repeat it to load at several levels (the best rate counts).")
    var h2loadStreams: [Int] = [4]

    func run() async throws {
        _ = try await MigrationRunner.migrateOnStartUp(
            connectionString: PostgresConnectionString(databaseURL), catalog: MigrationCatalog.bundled())
        let url = databaseURL
        let trackCount = prepareTracks
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                do {
                    let connection = try PostgresConnection(url: url)
                    if try connection.execute("SELECT count(*) FROM music.tracks").rows.first?.first == "0" {
                        _ = try CatalogLoader().load(CatalogGenerator(seed: 1, trackCount: trackCount).generate(), into: connection)
                    }
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
        var poolConfiguration = try PostgresPool.Configuration(url: databaseURL)
        poolConfiguration.maxConnections = connections
        let pool = PostgresPool(configuration: poolConfiguration)
        let redis = RedisClient(configuration: try RedisConfiguration(url: redisURL))
        let keyFolder = NSTemporaryDirectory() + "audotics-bench-keys-\(UInt32.random(in: 0...UInt32.max))"
        let keys = try SigningKeySet.loadOrCreateDevelopmentKeys(in: keyFolder)
        let settings = AccessTokenSettings(issuer: "bench", audience: "bench")
        let namespace = "bench-\(UInt32.random(in: 0...UInt32.max))"
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let (router, _) = PlatformServices.makeRouter(
            services: PlatformServices.known,
            dependencies: .init(pool: pool, redis: redis, signingKeys: keys, tokenSettings: settings, redisNamespace: namespace),
            logger: logger)
        // The same MusicService without the track cache: every GetTrack reads PostgreSQL.
        let completed = OutcomeCounter()
        let uncachedRouter = RPCRouter(
            services: [MusicService(repository: PostgresCatalogRepository(pool: pool))],
            interceptors: [completed, AuthenticationInterceptor(verifier: AccessTokenVerifier(keys: keys.verificationKeys, settings: settings))])
        let tls = try ReloadableTLSContext(configuration: .server(certificateChainFile: tlsCert, privateKeyFile: tlsKey))
        let server = try await GRPCServer(configuration: GRPCServerConfiguration(port: 0, tls: tls), router: router).start()
        let uncachedServer = try await GRPCServer(configuration: GRPCServerConfiguration(port: 0, tls: tls), router: uncachedRouter).start()
        let clientTLS = try ReloadableTLSContext(configuration: .client(trustRootsFile: tlsCA))
        func channel(_ port: Int) -> GRPCChannel {
            GRPCChannel(
                endpoints: [GRPCEndpoint(host: "127.0.0.1", port: port)],
                configuration: GRPCChannelConfiguration(security: .tls(context: clientTLS, serverHostname: "localhost")))
        }
        let cachedChannel = channel(server.port)
        let uncachedChannel = channel(uncachedServer.port)

        let users = UserServiceClient(transport: cachedChannel)
        let registered = try await users.register(.with {
            $0.email = "bench-\(UInt32.random(in: 0...UInt32.max))@example.org"
            $0.password = "benchmark passphrase"
        }, options: CallOptions(timeout: .seconds(10)))
        let token = registered.tokens?.accessToken ?? ""
        let options = CallOptions(timeout: .seconds(10), metadata: ["authorization": .string("Bearer \(token)")])
        let ids = try await pool.query("SELECT id FROM music.tracks ORDER BY id").map { try $0.decode(String.self, column: 0) }
        guard ids.count >= 1_000 else { throw ValidationError("the database has \(ids.count) tracks: seed it first") }
        let hot = Array(ids.shuffled().prefix(1_000))
        let words = try await pool.query("SELECT DISTINCT split_part(title, ' ', 1) FROM music.tracks LIMIT 200")
            .map { try $0.decode(String.self, column: 0) }

        let uncachedMusic = MusicServiceClient(transport: uncachedChannel)
        let music = MusicServiceClient(transport: cachedChannel)
        for id in hot { _ = try await music.getTrack(.with { $0.trackID = id }, options: options) }  // warm the cache
        let playlists = PlaylistServiceClient(transport: cachedChannel)

        var rows: [(String, Measurement)] = []
        rows.append(("GetTrack, uncached", try await measure {
            _ = try await uncachedMusic.getTrack(.with { $0.trackID = ids.randomElement()! }, options: options)
        }))
        rows.append(("GetTrack, cached", try await measure {
            _ = try await music.getTrack(.with { $0.trackID = hot.randomElement()! }, options: options)
        }))
        rows.append(("SearchTracks", try await measure {
            _ = try await music.searchTracks(.with { $0.query = words.randomElement()!; $0.pageSize = 20 }, options: options)
        }))
        let playlistIDs = Mutex<[String]>([])
        for _ in 0..<clients {
            let created = try await playlists.createPlaylist(.with { $0.name = "bench" }, options: options)
            playlistIDs.withLock { $0.append(created.playlist?.id ?? "") }
        }
        let next = Atomic<Int>(0)
        rows.append(("AddTracks (1 track)", try await measure {
            let index = next.add(1, ordering: .relaxed).newValue
            let playlist = playlistIDs.withLock { $0[index % $0.count] }
            _ = try await playlists.addTracks(.with { $0.playlistID = playlist; $0.trackIDs = [ids.randomElement()!] }, options: options)
        }))
        rows.append(("pool point select (no RPC)", try await measure(tasks: connections) {
            _ = try await pool.query("SELECT title, duration_ms FROM music.tracks WHERE id = \(ids.randomElement()!)")
        }))
        // As many tasks as the RPC workloads: statements queue for the connections and go in batches.
        rows.append(("pool point select, \(clients) tasks", try await measure(tasks: clients) {
            _ = try await pool.query("SELECT title, duration_ms FROM music.tracks WHERE id = \(ids.randomElement()!)")
        }))

        print("services benchmark: \(clients) client tasks, \(connections) database connections, \(seconds) s per workload, TLS")
        print("workload                    |   req/s |  p50 ms |  p99 ms | errors")
        print("----------------------------+---------+---------+---------+-------")
        for (name, result) in rows {
            print(name.padding(toLength: 28, withPad: " ", startingAt: 0) + "|"
                + pad(String(Int(result.rate)), 8) + " |" + pad(String(format: "%.2f", result.p50), 8) + " |"
                + pad(String(format: "%.2f", result.p99), 8) + " |" + pad(String(result.errors), 6))
        }
        var uncachedRate = rows[0].1.rate
        if !h2load.isEmpty {
            // The service's capacity with this many database connections: the best of the load levels.
            var best = 0.0
            for streams in h2loadStreams {
                let before = completed.counts()
                let result = try await runH2load(port: uncachedServer.port, token: token, trackID: ids.randomElement()!, streams: streams)
                // Calls h2load left in flight end (cancelled) a moment after it exits: count them with this level.
                var after = completed.counts()
                for _ in 0..<40 {
                    try await Task.sleep(for: .milliseconds(50))
                    let now = completed.counts()
                    if now == after { break }
                    after = now
                }
                let (succeeded, failed) = (after.succeeded - before.succeeded, after.failed - before.failed)
                // h2load stops at its deadline with up to connections x streams calls in flight, which end cancelled.
                guard failed <= h2loadConnections * streams, succeeded >= result.requests else {
                    throw ValidationError("h2load's GetTrack calls: \(succeeded) succeeded, \(failed) failed, h2load sent \(result.requests)")
                }
                print("GetTrack, uncached, from h2load (\(h2loadConnections) connections x \(streams) streams, one track ID): "
                    + "\(Int(result.rate)) req/s, mean \(String(format: "%.2f", result.meanMilliseconds)) ms, \(succeeded) calls OK, "
                    + "\(failed) cancelled at the end")
                best = max(best, result.rate)
            }
            uncachedRate = best
        }
        print("uncached_getTrack_rps=\(Int(uncachedRate))")
        await cachedChannel.close()
        await uncachedChannel.close()
        try await server.stop()
        try await uncachedServer.stop()
        await redis.shutdown()
        await pool.shutdown()
        try? FileManager.default.removeItem(atPath: keyFolder)
    }

    /// Loads the uncached server's GetTrack with h2load for `seconds` (TLS, a framed request with a bearer token).
    func runH2load(
        port: Int, token: String, trackID: String, streams: Int
    ) async throws -> (rate: Double, meanMilliseconds: Double, requests: Int) {
        let request = GetTrackRequest.with { $0.trackID = trackID }.serializedBytes()
        let framed = [0] + withUnsafeBytes(of: UInt32(request.count).bigEndian) { Array($0) } + request
        let body = NSTemporaryDirectory() + "audotics-bench-gettrack-\(UInt32.random(in: 0...UInt32.max)).bin"
        _ = FileManager.default.createFile(atPath: body, contents: Data(framed))
        defer { try? FileManager.default.removeItem(atPath: body) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: h2load.contains("/") ? h2load : "/usr/bin/env")
        process.arguments = (h2load.contains("/") ? [] : [h2load]) + [
            "-D", String(seconds), "--warm-up-time", "1", "-c", String(h2loadConnections), "-m", String(streams), "-t", "1",
            "-d", body, "-H", "content-type: application/grpc", "-H", "te: trailers", "-H", "authorization: Bearer \(token)",
            "https://127.0.0.1:\(port)/audotics.v1.MusicService/GetTrack",
        ]
        // On a thread of its own: waiting for a child blocks, which must not happen on the cooperative pool.
        let (text, status) = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(String, Int32), any Error>) in
            Thread.detachNewThread {
                let output = Pipe()
                process.standardOutput = output
                process.standardError = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    return continuation.resume(throwing: error)
                }
                let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                continuation.resume(returning: (text, process.terminationStatus))
            }
        }
        // "finished in 5.00s, 12345.67 req/s, ..." / "requests: N total, N started, N done, N succeeded, ..." /
        // "time for request:   1.23ms  45.67ms  2.34ms ..." (min, max, mean, sd).
        func number(after prefix: String, field: Int) -> Double? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
            let words = line.dropFirst(prefix.count).split(whereSeparator: { $0 == " " || $0 == "," })
            guard field < words.count else { return nil }
            var word = words[field]
            var scale = 1.0
            if word.hasSuffix("us") { word = word.dropLast(2); scale = 0.001 } else if word.hasSuffix("ms") { word = word.dropLast(2) }
            else if word.hasSuffix("s") { word = word.dropLast(1); scale = 1000 }
            return Double(word).map { $0 * scale }
        }
        guard status == 0, let rate = number(after: "finished in", field: 1),
              let succeeded = number(after: "requests:", field: 6), let mean = number(after: "time for request:", field: 2)
        else { throw ValidationError("h2load failed (status \(status)):\n\(text)") }
        return (rate, mean, Int(succeeded))
    }

    struct Measurement {
        var rate: Double
        var p50: Double
        var p99: Double
        var errors: Int
    }

    /// Runs `call` in a loop from `tasks` tasks (default `clients`) for `seconds`; latencies in milliseconds.
    func measure(tasks: Int? = nil, _ call: @escaping @Sendable () async throws -> Void) async throws -> Measurement {
        let end = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        let results = await withTaskGroup(of: ([Double], Int).self) { group in
            for _ in 0..<(tasks ?? clients) {
                group.addTask {
                    var latencies: [Double] = []
                    var errors = 0
                    while ContinuousClock.now < end {
                        let start = ContinuousClock.now
                        do {
                            try await call()
                            let elapsed = ContinuousClock.now - start
                            latencies.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                        } catch {
                            errors += 1
                        }
                    }
                    return (latencies, errors)
                }
            }
            return await group.reduce(into: ([Double](), 0)) { $0.0 += $1.0; $0.1 += $1.1 }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let sorted = results.0.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        return Measurement(rate: Double(sorted.count) / seconds, p50: percentile(0.5), p99: percentile(0.99), errors: results.1)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// Counts the calls that ended with status OK and the ones that did not (h2load sees only HTTP 200).
final class OutcomeCounter: ServerInterceptor {
    private let succeeded = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)

    func counts() -> (succeeded: Int, failed: Int) { (succeeded.load(ordering: .relaxed), failed.load(ordering: .relaxed)) }

    func intercept(requests: RPCAsyncSequence<[UInt8]>, responses: RPCWriter<[UInt8]>, context: ServerContext, next: RPCRouter.Handler) async throws {
        do {
            try await next(requests, responses, context)
            succeeded.add(1, ordering: .relaxed)
        } catch {
            failed.add(1, ordering: .relaxed)
            throw error
        }
    }

    func interceptUnary(request: [UInt8], context: ServerContext, next: RPCRouter.UnaryHandler) async throws -> [UInt8] {
        do {
            let response = try await next(request, context)
            succeeded.add(1, ordering: .relaxed)
            return response
        } catch {
            failed.add(1, ordering: .relaxed)
            throw error
        }
    }
}
