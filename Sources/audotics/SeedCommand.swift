import ArgumentParser
import AudoticsLogging
import AudoticsMusic
import AudoticsPostgres
import AudoticsRedisClient
import Foundation

/// `audotics seed`: loads the demo catalog (generated from a seed number) or imports one from a file.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load the demo music catalog, or import a catalog from CSV or JSON Lines.",
        discussion: """
            Without --import, generates a catalog of --tracks tracks (default 50,000) with artists, albums, \
            genres and durations, the same for the same --seed on every machine. With --import FILE, reads \
            tracks from CSV (header row) or JSON Lines; the fields are documented on CatalogImporter. Bad \
            rows are all reported with their line and field, and nothing is loaded unless --skip-bad-rows. \
            Loading is one transaction; rows whose ID exists are updated, so seeding twice changes nothing. \
            Needs the music schema: run `audotics migrate` first. With a Redis URL (--redis-url or \
            $AUDOTICS_REDIS_URL), the cached details of every track written are invalidated afterwards.
            """
    )

    @Option(name: .long, help: "libpq connection URL (default: $AUDOTICS_DATABASE_URL).")
    var databaseURL: String?

    @Option(name: .long, help: "How many tracks to generate.")
    var tracks = 50_000

    @Option(name: .long, help: "The seed number of the generated catalog.")
    var seed: UInt64 = 1

    @Option(name: .customLong("import"), help: "Import this CSV or JSON Lines file instead of generating.")
    var importFile: String?

    @Option(name: .long, help: "The import file's format: csv or jsonl (default: from the file's extension).")
    var format: String?

    @Flag(name: .long, help: "Load the good rows of an import even if some are bad (the bad ones are listed).")
    var skipBadRows = false

    @Option(name: .long, help: "Redis URL whose track cache to invalidate (default: $AUDOTICS_REDIS_URL).")
    var redisURL: String?

    @Option(name: .long, help: "The services' Redis key prefix (as `serve` uses it).")
    var redisNamespace = "audotics"

    func validate() throws {
        guard (1...5_000_000).contains(tracks) else { throw ValidationError("--tracks must be between 1 and 5,000,000") }
        if let format, CatalogImporter.Format(rawValue: format) == nil {
            throw ValidationError("--format must be csv or jsonl")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let url = databaseURL ?? environment["AUDOTICS_DATABASE_URL"], !url.isEmpty else {
            throw ValidationError("give --database-url or set AUDOTICS_DATABASE_URL")
        }
        let catalog: Catalog
        if let importFile {
            catalog = try importCatalog(from: importFile)
        } else {
            catalog = CatalogGenerator(seed: seed, trackCount: tracks).generate()
        }
        let started = ContinuousClock.now
        // libpq's blocking calls run on a thread of their own, off the cooperative pool.
        let report = try await onThread { () throws -> CatalogLoader.Report in
            let connection = try PostgresConnection(url: url)
            let exists = try connection.execute("SELECT to_regclass('music.tracks') IS NOT NULL")
            guard exists.rows.first?.first == "t" else {
                throw CommandFailure("the music schema is missing: run `audotics migrate` first")
            }
            return try CatalogLoader().load(catalog, into: connection)
        }
        let elapsed = ContinuousClock.now - started
        print("seeded \(report.artists) artists, \(report.albums) albums, \(report.tracks) tracks in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))")
        if let redisURL = redisURL ?? environment["AUDOTICS_REDIS_URL"], !redisURL.isEmpty {
            let client = RedisClient(configuration: try RedisConfiguration(url: redisURL))
            let cache = RedisCache(client: client, namespace: redisNamespace + ":" + CachedCatalogRepository.namespace)
            var invalidated = true
            for start in stride(from: 0, to: catalog.tracks.count, by: 1_000) {
                let ids = catalog.tracks[start..<min(start + 1_000, catalog.tracks.count)].map(\.id)
                invalidated = await cache.invalidate(ids) && invalidated
            }
            await client.shutdown()
            print(invalidated ? "invalidated the cached tracks" : "could not reach Redis to invalidate cached tracks (they expire within 5 minutes)")
        }
    }

    private func importCatalog(from path: String) throws -> Catalog {
        let url = URL(fileURLWithPath: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= CatalogImporter.maxFileBytes else {
            throw CommandFailure("\(path) is larger than \(CatalogImporter.maxFileBytes / 1_048_576) MiB")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CommandFailure("cannot read \(path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CommandFailure("\(path) is not UTF-8 text") }
        let formatName = format ?? (url.pathExtension.lowercased() == "csv" ? "csv" : "jsonl")
        guard let format = CatalogImporter.Format(rawValue: formatName) else {
            throw ValidationError("cannot tell the format of \(path): give --format csv or jsonl")
        }
        do {
            let (catalog, skipped) = try CatalogImporter.catalog(from: text, format: format, skippingBadRows: skipBadRows)
            if !skipped.isEmpty {
                LineLogWriter.standardError.flush()  // log lines before this report, in order
                FileHandle.standardError.write(Data((CatalogImportError(problems: skipped).description + "\n(skipped)\n").utf8))
            }
            return catalog
        } catch {
            throw CommandFailure(error.description)
        }
    }
}

/// A failure while a command runs (not a usage mistake): ArgumentParser prints the message without the usage text
/// and exits with status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Runs blocking work on a new thread and waits for it without blocking the cooperative pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        Thread.detachNewThread {
            do {
                continuation.resume(returning: try body())
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
