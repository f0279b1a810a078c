/// Times workloads in rounds with `ContinuousClock` and reports the median time per operation.
struct Stopwatch {
    /// The number of timed rounds per workload (after one untimed warm-up round).
    var rounds: Int
    /// The shortest acceptable round; the iteration count is calibrated to reach it.
    var minRoundSeconds: Double

    private let clock = ContinuousClock()

    /// The median nanoseconds per operation of each side, measured in interleaved rounds so
    /// that drift (frequency scaling, a noisy neighbour) affects both sides alike.
    func measure(_ comparison: Comparison) throws -> (audotics: Double, swiftProtobuf: Double) {
        let ours = try calibrate(comparison.audotics)
        let theirs = try calibrate(comparison.swiftProtobuf)
        _ = try time(comparison.audotics, iterations: ours)  // warm-up
        _ = try time(comparison.swiftProtobuf, iterations: theirs)
        var oursSamples: [Double] = []
        var theirsSamples: [Double] = []
        for _ in 0..<rounds {
            oursSamples.append(try time(comparison.audotics, iterations: ours))
            theirsSamples.append(try time(comparison.swiftProtobuf, iterations: theirs))
        }
        return (median(oursSamples), median(theirsSamples))
    }

    /// The iteration count whose round lasts at least `minRoundSeconds`.
    private func calibrate(_ workload: Workload) throws -> Int {
        var iterations = 1
        while true {
            let start = clock.now
            try workload.run(iterations)
            let seconds = seconds(clock.now - start)
            if seconds >= minRoundSeconds / 8 {
                let scaled = Double(iterations) * minRoundSeconds / seconds * 1.1
                return max(iterations, Int(scaled.rounded(.up)))
            }
            iterations *= 2
        }
    }

    /// Nanoseconds per operation over one round of `iterations`.
    private func time(_ workload: Workload, iterations: Int) throws -> Double {
        let start = clock.now
        try workload.run(iterations)
        return seconds(clock.now - start) * 1e9 / Double(iterations)
    }

    private func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    private func median(_ samples: [Double]) -> Double {
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
