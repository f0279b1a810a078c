/// A `CodecPair` with its message types erased, so pairs of different shapes share a list.
struct AnyCodecPair: Sendable {
    let crossCheck: @Sendable () throws -> CrossCheckResult
    let comparisons: @Sendable () throws -> [Comparison]

    init<Ours, Theirs>(_ pair: CodecPair<Ours, Theirs>) {
        crossCheck = { try pair.crossCheck() }
        comparisons = { try pair.comparisons() }
    }
}
