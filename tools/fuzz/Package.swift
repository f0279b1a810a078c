// swift-tools-version:6.0
//
// libFuzzer targets of Audotics (issue 3, "Robustness"): the gRPC message deframer and the server's
// request-header handling. A package of its own, so the main package's `swift build` and `swift test`
// never see these executables: their entry points call libFuzzer's driver, which
// `-sanitize=fuzzer` links in. Build and run them with `tools/fuzz/run [seconds]` (`--help` there).

import PackageDescription

let package = Package(
    name: "AudoticsFuzz",
    dependencies: [
        // Named so target dependencies do not depend on the folder the repository is cloned into.
        .package(name: "Audotics", path: "../.."),
    ],
    targets: [
        // libFuzzer's driver (LLVMFuzzerRunDriver), which each target's entry point calls.
        .systemLibrary(name: "CLibFuzzer"),
        // GRPCMessageDeframer over chunked input, then per-message decompression with a limit.
        .executableTarget(
            name: "FuzzDeframer",
            dependencies: ["CLibFuzzer", .product(name: "AudoticsRPC", package: "Audotics")]
        ),
        // GRPCRequestHead(parsing:) on header lists from the input (plain and HPACK), and a server
        // HTTP2Session fed raw bytes after a valid client preface.
        .executableTarget(
            name: "FuzzRequestHeaders",
            dependencies: [
                "CLibFuzzer",
                .product(name: "AudoticsRPC", package: "Audotics"),
                .product(name: "AudoticsHTTP2", package: "Audotics"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
