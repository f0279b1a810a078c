import ArgumentParser

/// `audotics-bench codec`: encode and decode throughput of Audotics against swift-protobuf.
struct CodecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Measure encode and decode throughput against swift-protobuf on the same messages."
    )

    /// The ratio (swift-protobuf time / Audotics time) each row must reach: issue 2's target.
    static let targetRatio = 1.5

    @Option(help: "Timed rounds per measurement; the median is reported.")
    var rounds = 7

    @Option(help: "The shortest round in seconds; iteration counts are calibrated to reach it.")
    var minRoundSeconds = 0.3

    @Option(help: "Measure only this shape (track, playlist or events); repeat for several. Default: all.")
    var shape: [Shape] = []

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
        guard minRoundSeconds > 0 else { throw ValidationError("--min-round-seconds must be positive") }
    }

    func run() throws {
        #if DEBUG
        print("warning: this is a debug build; figures are meaningless. Use swift run -c release audotics-bench codec.")
        #endif
        let shapes = shape.isEmpty ? Shape.allCases : Shape.allCases.filter(shape.contains)
        let pairs = try shapes.map(Self.pair(for:))

        print("Cross-check (each side's encoding decodes on the other side to an equal message):")
        for pair in pairs {
            let result = try pair.crossCheck()
            let bytes = result.identical ? "byte-identical" : "different bytes (\(result.oursBytes) vs \(result.theirsBytes))"
            print("  \(result.shape.label): OK, \(result.oursBytes) bytes, \(bytes)")
        }

        let stopwatch = Stopwatch(rounds: rounds, minRoundSeconds: minRoundSeconds)
        print("\nMeasuring: \(rounds) rounds of at least \(minRoundSeconds) s per side after a warm-up; median ns/op.")
        var rows: [ResultRow] = []
        for pair in pairs {
            for comparison in try pair.comparisons() {
                let (ours, theirs) = try stopwatch.measure(comparison)
                rows.append(ResultRow(
                    shape: comparison.shape, direction: comparison.direction, bytes: comparison.bytes,
                    audoticsNanoseconds: ours, swiftProtobufNanoseconds: theirs))
            }
        }
        print("")
        print(ResultTable(rows: rows, targetRatio: Self.targetRatio).text)
        print("\nratio = swift-protobuf ns/op / Audotics ns/op (>1: Audotics is faster); target \(Self.targetRatio)x.")
    }

    /// Both representations of one shape, built from the same fixture.
    private static func pair(for shape: Shape) throws -> AnyCodecPair {
        var factory = FixtureFactory()
        switch shape {
        case .track:
            let track = factory.track(number: 0)
            return AnyCodecPair(CodecPair(shape: shape, ours: track.audotics, theirs: track.swiftProtobuf))
        case .playlist:
            let playlist = factory.playlist(itemCount: 200)
            return AnyCodecPair(CodecPair(shape: shape, ours: playlist.audotics, theirs: playlist.swiftProtobuf))
        case .events:
            let events = factory.events(count: 500)
            return AnyCodecPair(CodecPair(shape: shape, ours: events.audotics, theirs: events.swiftProtobuf))
        }
    }
}
