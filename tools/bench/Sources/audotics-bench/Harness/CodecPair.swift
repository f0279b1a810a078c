import AudoticsProtobuf
import SwiftProtobuf

/// The same message in both representations: ours (protobuf-c) and the swift-protobuf baseline.
struct CodecPair<Ours: ProtobufMessage, Theirs: SwiftProtobuf.Message>: Sendable {
    let shape: Shape
    let ours: Ours
    let theirs: Theirs

    /// Proves both sides describe the same message: each side's encoding decodes on the other
    /// side to a value equal to that side's own. Throws `BenchmarkError.mismatch` otherwise.
    func crossCheck() throws -> CrossCheckResult {
        let oursBytes = ours.serializedBytes()
        let theirsBytes: [UInt8] = try theirs.serializedBytes()
        let theirsFromOurs = try Theirs(serializedBytes: oursBytes)
        guard theirsFromOurs.isEqualTo(message: theirs) else {
            throw BenchmarkError.mismatch(shape, "swift-protobuf decoded Audotics' \(oursBytes.count) bytes to a different message")
        }
        let oursFromTheirs = try Ours(serializedBytes: theirsBytes)
        guard oursFromTheirs == ours else {
            throw BenchmarkError.mismatch(shape, "Audotics decoded swift-protobuf's \(theirsBytes.count) bytes to a different message")
        }
        return CrossCheckResult(
            shape: shape, oursBytes: oursBytes.count, theirsBytes: theirsBytes.count,
            identical: oursBytes == theirsBytes)
    }

    /// Encode and decode comparisons. Encode produces a `[UInt8]` on both sides; decode builds
    /// the full Swift value (every string and nested message) from the same bytes on both sides.
    func comparisons() throws -> [Comparison] {
        let ours = self.ours
        let theirs = self.theirs
        let bytes = ours.serializedBytes()
        let encode = Comparison(
            shape: shape, direction: .encode, bytes: bytes.count,
            audotics: Workload(side: .audotics) { iterations in
                let message = opaque(ours)
                for _ in 0..<iterations { blackHole(message.serializedBytes()) }
            },
            swiftProtobuf: Workload(side: .swiftProtobuf) { iterations in
                let message = opaque(theirs)
                for _ in 0..<iterations { blackHole(try message.serializedBytes() as [UInt8]) }
            }
        )
        let decode = Comparison(
            shape: shape, direction: .decode, bytes: bytes.count,
            audotics: Workload(side: .audotics) { iterations in
                let input = opaque(bytes)
                for _ in 0..<iterations { blackHole(try Ours(serializedBytes: input)) }
            },
            swiftProtobuf: Workload(side: .swiftProtobuf) { iterations in
                let input = opaque(bytes)
                for _ in 0..<iterations { blackHole(try Theirs(serializedBytes: input)) }
            }
        )
        return [encode, decode]
    }
}

/// What the cross-check of one shape found.
struct CrossCheckResult: Sendable {
    let shape: Shape
    let oursBytes: Int
    let theirsBytes: Int
    /// Whether both sides produced byte-identical encodings (not required, but expected here).
    let identical: Bool
}

/// A failure that makes the benchmark's figures meaningless.
enum BenchmarkError: Error, CustomStringConvertible {
    case mismatch(Shape, String)

    var description: String {
        switch self {
        case .mismatch(let shape, let detail): "cross-check failed for \(shape.rawValue): \(detail)"
        }
    }
}
