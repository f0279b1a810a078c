import AudoticsRedis
import AudoticsRedisClient
import Foundation
import Testing

/// The Redis that `tools/test` starts, and helpers for tests against it.
enum TestRedis {
    /// `AUDOTICS_TEST_REDIS_URL`, or nil when the tests run without tools/test (live suites are then skipped).
    static let url: String? = ProcessInfo.processInfo.environment["AUDOTICS_TEST_REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// Why live suites are skipped when `url` is nil.
    static let skipReason: Comment = "AUDOTICS_TEST_REDIS_URL is not set: run with tools/test, which starts a private Redis"

    /// The shared test server's configuration, with `adjust` applied.
    static func configuration(_ adjust: (inout RedisConfiguration) -> Void = { _ in }) throws -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: try #require(url))
        adjust(&configuration)
        return configuration
    }

    /// A key no other test (or run) uses.
    static func uniqueKey(_ name: String = #function) -> String {
        "audotics:test:\(ProcessInfo.processInfo.processIdentifier):\(name):\(UInt64.random(in: 0...UInt64.max))"
    }
}
