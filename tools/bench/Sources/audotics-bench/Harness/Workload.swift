/// One side (library) of one measurement: `run(n)` performs the operation `n` times.
struct Workload: Sendable {
    /// Which library does the work.
    enum Side: String, Sendable {
        case audotics = "Audotics"
        case swiftProtobuf = "swift-protobuf"
    }

    let side: Side
    /// Runs the operation the given number of times; every result goes to `blackHole`.
    let run: @Sendable (_ iterations: Int) throws -> Void
}

/// Encode or decode.
enum Direction: String, Sendable {
    case encode
    case decode
}

/// The two workloads of one shape and direction, measured against each other.
struct Comparison: Sendable {
    let shape: Shape
    let direction: Direction
    /// The encoded size of the message in bytes.
    let bytes: Int
    let audotics: Workload
    let swiftProtobuf: Workload
}
