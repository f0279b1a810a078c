// swift-tools-version:6.0
//
// Audotics: a music platform's backend. See README.md for the map of this package and
// ../shared/design/architecture.md for the layers these targets implement.

import PackageDescription

/// Swift settings shared by every Swift target: Swift 6 language mode with complete strict concurrency; in release
/// builds, no run-time exclusivity checks (the compile-time ones stay; debug builds and so the tests keep both): they
/// cost about 10% of the gRPC server's throughput. See AUDOTICS_SWIFT_RELEASE in tools/lib/common.sh.
let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// A `systemLibrary` target for a C library found through pkg-config and installed from Debian.
func systemLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let package = Package(
    name: "Audotics",
    products: [
        .executable(name: "audotics", targets: ["audotics"]),
        .executable(name: "protoc-gen-audotics", targets: ["protoc-gen-audotics"]),
        .library(name: "AudoticsAPI", targets: ["AudoticsAPI"]),
        .library(name: "AudoticsRPC", targets: ["AudoticsRPC"]),
        .library(name: "AudoticsProtobuf", targets: ["AudoticsProtobuf"]),
        // For the fuzz targets in tools/fuzz (a package of their own): the HTTP/2 session engine.
        .library(name: "AudoticsHTTP2", targets: ["AudoticsHTTP2"]),
        // The gRPC fabric and its TLS, for applications and for tools/bench.
        .library(name: "AudoticsTransport", targets: ["AudoticsTransport"]),
        .library(name: "AudoticsTLS", targets: ["AudoticsTLS"]),
        // For tools/bench's services benchmark: the composed platform and what it is built from.
        .library(name: "AudoticsPlatform", targets: ["AudoticsPlatform"]),
        .library(name: "AudoticsMusic", targets: ["AudoticsMusic"]),
        .library(name: "AudoticsMigrations", targets: ["AudoticsMigrations"]),
        .library(name: "AudoticsAuth", targets: ["AudoticsAuth"]),
        .library(name: "AudoticsPostgres", targets: ["AudoticsPostgres"]),
        // The JSON gateway's HTTP front end (HTTP/1.1 and HTTP/2, TLS with ALPN).
        .library(name: "AudoticsHTTPServer", targets: ["AudoticsHTTPServer"]),
        // Redis for the services: connections, a pool, a cache and a rate limiter.
        .library(name: "AudoticsRedisClient", targets: ["AudoticsRedisClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // MARK: Layer 1: C modules (Debian packages through pkg-config).
        systemLibrary("CProtobufC", pkgConfig: "libprotobuf-c", apt: "libprotobuf-c-dev"),
        systemLibrary("CNghttp2", pkgConfig: "libnghttp2", apt: "libnghttp2-dev"),
        systemLibrary("COpenSSL", pkgConfig: "openssl", apt: "libssl-dev"),
        systemLibrary("CLibPQ", pkgConfig: "libpq", apt: "libpq-dev"),
        systemLibrary("CHiredis", pkgConfig: "hiredis", apt: "libhiredis-dev"),
        systemLibrary("CArgon2", pkgConfig: "libargon2", apt: "libargon2-dev"),
        systemLibrary("CZlib", pkgConfig: "zlib", apt: "zlib1g-dev"),
        .target(
            name: "CAudoticsShims",
            dependencies: ["COpenSSL", "CZlib", "CNghttp2", "CHiredis", "CLibPQ", "CArgon2"]
        ),
        // protoc-c output: descriptor.proto, plugin.proto and google/api (for the generator and reflection)...
        .target(name: "CProtobufDescriptors", dependencies: ["CProtobufC"], cSettings: [.headerSearchPath("include")]),
        // ...and every other proto of the platform.
        .target(
            name: "CAudoticsProto",
            dependencies: ["CProtobufC", "CProtobufDescriptors"],
            cSettings: [.headerSearchPath("include")]
        ),

        // MARK: Layer 2: safe wrappers, one per C library.
        .target(name: "AudoticsProtobuf", dependencies: ["CProtobufC"], swiftSettings: strictSwift),
        .target(name: "AudoticsHTTP2", dependencies: ["CNghttp2", "CAudoticsShims"], swiftSettings: strictSwift),
        .target(name: "AudoticsTLS", dependencies: ["COpenSSL", "CAudoticsShims"], swiftSettings: strictSwift),
        .target(
            name: "AudoticsPostgres",
            dependencies: ["CLibPQ", "COpenSSL", "CAudoticsShims", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSwift
        ),
        .target(name: "AudoticsRedis", dependencies: ["CHiredis", "CAudoticsShims"], swiftSettings: strictSwift),
        // swift-log's line format, written by a thread of its own (logging never blocks an event loop).
        .target(name: "AudoticsLogging", dependencies: [.product(name: "Logging", package: "swift-log")], swiftSettings: strictSwift),
        .target(name: "AudoticsArgon2", dependencies: ["CArgon2"], swiftSettings: strictSwift),
        .target(name: "AudoticsCompression", dependencies: ["CZlib", "CAudoticsShims"], swiftSettings: strictSwift),

        // MARK: Layer 4: core RPC (no C).
        .target(
            name: "AudoticsRPC",
            dependencies: [
                "AudoticsProtobuf", "AudoticsCompression",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ], swiftSettings: strictSwift),

        // MARK: Layer 5: transport (SwiftNIO event loops carry the bytes).
        .target(
            name: "AudoticsTransport",
            dependencies: [
                "AudoticsRPC", "AudoticsHTTP2", "AudoticsTLS", "AudoticsProtobuf", "AudoticsHealthAPI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),

        // The gateway's HTTP front end: HTTP/1.1 by NIOHTTP1's decoder, HTTP/2 by our nghttp2 session, TLS by the
        // transport's handler; hands complete requests to a handler (docs/gateway.md).
        .target(
            name: "AudoticsHTTPServer",
            dependencies: [
                "AudoticsTransport", "AudoticsHTTP2", "AudoticsTLS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),

        // The Redis client: hiredis's reader and formatter (AudoticsRedis) over NIO sockets, a pool, a cache and a
        // rate limiter for the services.
        .target(
            name: "AudoticsRedisClient",
            dependencies: [
                "AudoticsRedis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: Layer 6: generated API (tools/generate writes these; do not edit by hand).
        .target(
            name: "AudoticsWellKnownTypes",
            dependencies: ["AudoticsProtobuf", "AudoticsRPC", "CAudoticsProto"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsAPI",
            dependencies: ["AudoticsProtobuf", "AudoticsRPC", "AudoticsWellKnownTypes", "CAudoticsProto"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsHealthAPI",
            dependencies: ["AudoticsProtobuf", "AudoticsRPC", "CAudoticsProto"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsInteropAPI",
            dependencies: ["AudoticsProtobuf", "AudoticsRPC", "CAudoticsProto"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsReflectionAPI",
            dependencies: ["AudoticsProtobuf", "AudoticsRPC", "CAudoticsProto"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsReflectionV1AlphaAPI",
            dependencies: ["AudoticsProtobuf", "AudoticsRPC", "CAudoticsProto"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsConformanceAPI",
            dependencies: ["AudoticsProtobuf", "AudoticsRPC", "AudoticsWellKnownTypes", "CAudoticsProto"],
            swiftSettings: strictSwift
        ),

        // The proto3 JSON mapping over protobuf-c descriptors, for the JSON edge gateway: any message
        // to and from JSON without Swift types. The well-known types give it google.rpc for Any.
        .target(
            name: "AudoticsJSON",
            dependencies: ["AudoticsProtobuf", "AudoticsWellKnownTypes"],
            swiftSettings: strictSwift
        ),

        // MARK: Layer 7: services.
        .target(
            name: "AudoticsInterop",
            dependencies: ["AudoticsInteropAPI", "AudoticsRPC"],
            swiftSettings: strictSwift
        ),
        .target(name: "AudoticsHealth", dependencies: ["AudoticsHealthAPI", "AudoticsRPC"], swiftSettings: strictSwift),
        .target(
            name: "AudoticsServiceSupport", dependencies: ["AudoticsRPC", "AudoticsWellKnownTypes", "AudoticsProtobuf", "AudoticsTLS"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsGateway",
            dependencies: [
                "AudoticsRPC", "AudoticsProtobuf", "AudoticsJSON", "AudoticsWellKnownTypes", "AudoticsRedisClient", "AudoticsTLS",
                "AudoticsHTTPServer", "AudoticsTransport", "AudoticsHealthAPI",
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsPlatform",
            dependencies: [
                "AudoticsUsers", "AudoticsMusic", "AudoticsPlaylists", "AudoticsAuth", "AudoticsHealth", "AudoticsHealthAPI", "AudoticsReflection",
                "AudoticsPostgres", "AudoticsRedisClient", "AudoticsRedis", "AudoticsRPC", "AudoticsAPI",
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsPlaylists",
            dependencies: [
                "AudoticsPostgres", "AudoticsAPI", "AudoticsRPC", "AudoticsServiceSupport", "AudoticsWellKnownTypes", "AudoticsAuth",
                "AudoticsTLS",
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsUsers",
            dependencies: [
                "AudoticsPostgres", "AudoticsAPI", "AudoticsRPC", "AudoticsServiceSupport", "AudoticsWellKnownTypes", "AudoticsAuth",
                "AudoticsRedisClient", "AudoticsRedis", "AudoticsTLS", "AudoticsProtobuf",
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsMusic",
            dependencies: [
                "AudoticsPostgres", "AudoticsAPI", "AudoticsRPC", "AudoticsServiceSupport", "AudoticsWellKnownTypes", "AudoticsAuth",
                "AudoticsRedisClient", "AudoticsProtobuf",
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsReflection",
            dependencies: ["AudoticsReflectionAPI", "AudoticsReflectionV1AlphaAPI", "AudoticsRPC", "AudoticsProtobuf"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsAuth",
            dependencies: ["AudoticsTLS", "AudoticsArgon2", "AudoticsRPC"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "AudoticsMigrations",
            dependencies: ["AudoticsPostgres", "AudoticsTLS"],
            resources: [.copy("SQL")],
            swiftSettings: strictSwift
        ),

        // MARK: Layer 8: composition roots.
        .executableTarget(
            name: "audotics",
            dependencies: [
                "AudoticsAPI", "AudoticsRPC", "AudoticsMigrations", "AudoticsPostgres", "AudoticsProtobuf",
                "AudoticsHTTP2", "AudoticsTLS", "AudoticsCompression", "AudoticsRedis", "AudoticsInterop", "AudoticsTransport", "AudoticsHealth", "AudoticsReflection",
                "AudoticsMusic", "AudoticsUsers", "AudoticsAuth", "AudoticsRedisClient", "AudoticsHealthAPI", "AudoticsPlatform",
                "AudoticsGateway", "AudoticsHTTPServer", "AudoticsLogging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: The code generator (tools/generator): a library with a thin protoc plugin executable.
        .target(
            name: "AudoticsCodeGen",
            dependencies: ["CProtobufDescriptors", "CProtobufC"],
            path: "tools/generator/AudoticsCodeGen",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "protoc-gen-audotics",
            dependencies: ["AudoticsCodeGen"],
            path: "tools/generator/protoc-gen-audotics",
            swiftSettings: strictSwift
        ),

        // MARK: Tests.
        // What several test modules share: running the Python peers in Tests/Peers, temporary folders.
        .target(name: "AudoticsTestSupport", path: "Tests/AudoticsTestSupport", swiftSettings: strictSwift),
        .testTarget(
            name: "AudoticsGatewayTests",
            dependencies: [
                "AudoticsGateway", "AudoticsRPC", "AudoticsAPI", "AudoticsTestSupport", "AudoticsTransport", "AudoticsHTTPServer",
                "AudoticsInterop", "AudoticsInteropAPI", .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "AudoticsProtobufTests",
            dependencies: ["AudoticsTestSupport", "AudoticsProtobuf", "AudoticsConformanceAPI", "AudoticsWellKnownTypes", "AudoticsAPI"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "AudoticsRPCTests",
            dependencies: [
                "AudoticsRPC", "AudoticsAPI", "AudoticsHealthAPI", "AudoticsInteropAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "AudoticsCodeGenTests",
            dependencies: ["AudoticsCodeGen", "AudoticsTestSupport"],
            exclude: ["Snapshots"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "AudoticsJSONTests",
            dependencies: ["AudoticsJSON", "AudoticsTestSupport", "AudoticsProtobuf", "AudoticsConformanceAPI", "AudoticsWellKnownTypes", "AudoticsAPI"],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "AudoticsHTTP2Tests", dependencies: ["AudoticsHTTP2"], swiftSettings: strictSwift),
        .testTarget(
            name: "AudoticsLoggingTests",
            dependencies: ["AudoticsLogging", .product(name: "Logging", package: "swift-log")], swiftSettings: strictSwift),
        .testTarget(
            name: "AudoticsTransportTests",
            dependencies: [
                "AudoticsTestSupport", "AudoticsTransport", "AudoticsRPC", "AudoticsInteropAPI", "AudoticsInterop", "AudoticsHTTP2",
                "AudoticsHealth", .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "AudoticsHTTPServerTests",
            dependencies: ["AudoticsHTTPServer", "AudoticsTestSupport", "AudoticsTLS", "AudoticsHTTP2"],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "AudoticsTLSTests", dependencies: ["AudoticsTLS"], swiftSettings: strictSwift),
        .testTarget(
            name: "AudoticsHealthTests",
            dependencies: ["AudoticsTestSupport", "AudoticsHealth", "AudoticsHealthAPI", "AudoticsRPC", "AudoticsTransport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "AudoticsReflectionTests",
            dependencies: ["AudoticsTestSupport", 
                "AudoticsReflection", "AudoticsReflectionAPI", "AudoticsReflectionV1AlphaAPI", "AudoticsRPC", "AudoticsProtobuf",
                "AudoticsHealth", "AudoticsHealthAPI", "AudoticsInterop", "AudoticsInteropAPI", "AudoticsAPI",
                "AudoticsTransport",
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "AudoticsPostgresTests",
            dependencies: ["AudoticsPostgres", "AudoticsTestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "AudoticsMigrationsTests",
            dependencies: ["AudoticsMigrations", "AudoticsPostgres", "AudoticsTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "AudoticsRedisTests", dependencies: ["AudoticsRedis"], swiftSettings: strictSwift),
        .testTarget(
            name: "AudoticsServiceSupportTests",
            dependencies: ["AudoticsServiceSupport", "AudoticsRPC", "AudoticsWellKnownTypes"], swiftSettings: strictSwift
        ),
        .testTarget(
            name: "AudoticsMusicTests", dependencies: ["AudoticsMusic", "AudoticsMigrations", "AudoticsPostgres", "AudoticsTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "AudoticsPlatformTests",
            dependencies: [
                "AudoticsPlatform", "AudoticsTestSupport", "AudoticsAPI", "AudoticsRPC", "AudoticsAuth", "AudoticsMusic", "AudoticsUsers",
                "AudoticsMigrations", "AudoticsPostgres", "AudoticsRedis", "AudoticsRedisClient", "AudoticsTLS", "AudoticsTransport",
                "AudoticsWellKnownTypes", "AudoticsGateway", "AudoticsHTTPServer", "AudoticsHealthAPI",
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "AudoticsAuthTests",
            dependencies: ["AudoticsAuth", "AudoticsTestSupport", "AudoticsTLS", "AudoticsRPC", "AudoticsArgon2", "AudoticsAPI"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "AudoticsRedisClientTests",
            dependencies: [
                "AudoticsRedisClient", "AudoticsRedis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(name: "AudoticsArgon2Tests", dependencies: ["AudoticsArgon2"], swiftSettings: strictSwift),
        .testTarget(name: "AudoticsCompressionTests", dependencies: ["AudoticsCompression"], swiftSettings: strictSwift),
    ],
    swiftLanguageModes: [.v6]
)
