// swift-tools-version:6.0
//
// The codec benchmark of Audotics: encodes and decodes representative messages with our
// protobuf-c runtime and with apple/swift-protobuf, in one run, and prints the ratio.
// Build and run in release mode only: `swift run -c release audotics-bench codec` (see README.md).
//
// swift-protobuf is the baseline and lives only here; the main package never depends on it.

import PackageDescription

let package = Package(
    name: "AudoticsBench",
    dependencies: [
        // Named so target dependencies do not depend on the folder the repository is cloned into.
        .package(name: "Audotics", path: "../.."),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // swift-protobuf's generated code for the same contracts; `generate-baseline` rewrites it.
        .target(
            name: "SwiftProtobufBaseline",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .executableTarget(
            name: "audotics-bench",
            dependencies: [
                "SwiftProtobufBaseline",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "AudoticsAPI", package: "Audotics"),
                .product(name: "AudoticsProtobuf", package: "Audotics"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
