/// One row of the printed table.
struct ResultRow: Sendable {
    let shape: Shape
    let direction: Direction
    let bytes: Int
    let audoticsNanoseconds: Double
    let swiftProtobufNanoseconds: Double

    /// swift-protobuf's time over ours: above 1 means Audotics is faster.
    var ratio: Double { swiftProtobufNanoseconds / audoticsNanoseconds }
}

/// Formats results as a fixed-width text table.
struct ResultTable {
    let rows: [ResultRow]
    let targetRatio: Double

    private static let headers = [
        "shape", "direction", "bytes", "Audotics ns/op", "MB/s", "swift-protobuf ns/op", "MB/s", "ratio", "target",
    ]

    var text: String {
        let body = rows.map { row in
            [
                row.shape.label, row.direction.rawValue, String(row.bytes),
                format(row.audoticsNanoseconds, decimals: 0), format(megabytesPerSecond(row.bytes, row.audoticsNanoseconds), decimals: 1),
                format(row.swiftProtobufNanoseconds, decimals: 0), format(megabytesPerSecond(row.bytes, row.swiftProtobufNanoseconds), decimals: 1),
                format(row.ratio, decimals: 2) + "x",
                row.ratio >= targetRatio ? "PASS" : "MISS",
            ]
        }
        let all = [Self.headers] + body
        let widths = Self.headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        let leftAligned: Set<Int> = [0, 1]
        func line(_ cells: [String]) -> String {
            cells.indices.map { column in
                let padding = String(repeating: " ", count: widths[column] - cells[column].count)
                return leftAligned.contains(column) ? cells[column] + padding : padding + cells[column]
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(Self.headers), rule] + body.map(line)).joined(separator: "\n")
    }

    /// Decimal megabytes (10^6 bytes) per second.
    private func megabytesPerSecond(_ bytes: Int, _ nanoseconds: Double) -> Double {
        Double(bytes) * 1_000 / nanoseconds
    }

    private func format(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        guard decimals > 0 else { return String(Int(rounded)) }
        let whole = Int(rounded)
        let fraction = Int(((rounded - Double(whole)) * scale).rounded())
        let digits = String(fraction)
        return "\(whole)." + String(repeating: "0", count: decimals - digits.count) + digits
    }
}
