// swift-tools-version:6.1
//
// The benchmarks of Audotics, each side by side with a baseline in one run (see README.md):
// - `audotics-bench codec`: our protobuf-c runtime against apple/swift-protobuf;
// - `audotics-bench rpc-server` + `tools/bench/rpc-bench`: our gRPC server (AudoticsTransport) against
//   grpc/grpc-swift-2 on grpc-swift-nio-transport, with nghttpd as the HTTP/2 ceiling;
// - `audotics-bench services` + `tools/bench/services-bench`: the services end to end, with `pgbench -S` as the
//   database ceiling.
// Build and run in release mode only.
//
// swift-protobuf and grpc-swift are baselines and live only here; the main package never depends on them.

import PackageDescription

let package = Package(
    name: "AudoticsBench",
    dependencies: [
        // Named so target dependencies do not depend on the folder the repository is cloned into.
        .package(name: "Audotics", path: "../.."),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // The RPC baseline: grpc-swift 2 on its SwiftNIO HTTP/2 transport.
        .package(url: "https://github.com/grpc/grpc-swift-2", exact: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", exact: "2.9.2"),
    ],
    targets: [
        // swift-protobuf's generated code for the same contracts; `generate-baseline` rewrites it.
        .target(
            name: "SwiftProtobufBaseline",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // The echo service on our fabric (AudoticsTransport).
        .target(
            name: "AudoticsEchoServer",
            dependencies: [
                .product(name: "AudoticsRPC", package: "Audotics"),
                .product(name: "AudoticsTransport", package: "Audotics"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        // The same echo service on grpc-swift 2 (separate module: both define RPCRouter, ServerContext...).
        .target(
            name: "GRPCSwiftEchoServer",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .executableTarget(
            name: "audotics-bench",
            dependencies: [
                "SwiftProtobufBaseline",
                "AudoticsEchoServer",
                "GRPCSwiftEchoServer",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "AudoticsAPI", package: "Audotics"),
                .product(name: "AudoticsProtobuf", package: "Audotics"),
                .product(name: "AudoticsPlatform", package: "Audotics"),
                .product(name: "AudoticsMusic", package: "Audotics"),
                .product(name: "AudoticsMigrations", package: "Audotics"),
                .product(name: "AudoticsAuth", package: "Audotics"),
                .product(name: "AudoticsPostgres", package: "Audotics"),
                .product(name: "AudoticsRedisClient", package: "Audotics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AudoticsTransport", package: "Audotics"),
                .product(name: "AudoticsTLS", package: "Audotics"),
                .product(name: "AudoticsRPC", package: "Audotics"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
