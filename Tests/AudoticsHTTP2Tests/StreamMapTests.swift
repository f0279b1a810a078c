import AudoticsHTTP2
import Testing

@Suite("StreamMap")
struct StreamMapTests {
    /// A deterministic generator, so a failure reproduces.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("random inserts, updates, lookups and removals agree with Dictionary", arguments: [1, 2, 3, 4])
    func agreesWithDictionary(seed: UInt64) {
        var random = SplitMix64(state: seed)
        var map = StreamMap<Int>()
        var reference: [Int32: Int] = [:]
        // Keys from a small range collide and cluster; odd strided keys are what HTTP/2 clients use.
        let keyRanges: [ClosedRange<Int32>] = [1...64, 1...100_001, Int32.max - 50...Int32.max]
        for step in 0..<20_000 {
            let range = keyRanges[step / 7_000 % keyRanges.count]
            let key = Int32.random(in: range, using: &random)
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<4:
                map[key] = step
                reference[key] = step
            case 4..<7:
                #expect(map.removeValue(forKey: key) == reference.removeValue(forKey: key))
            default:
                #expect(map[key] == reference[key])
            }
            #expect(map.count == reference.count)
        }
        for (key, value) in reference { #expect(map[key] == value) }
        #expect(Set(map.streamIDs) == Set(reference.keys))
        #expect(map.allValues.sorted() == reference.values.sorted())
        map.removeAll()
        #expect(map.isEmpty)
        for key in reference.keys { #expect(map[key] == nil) }
    }

    @Test("thousands of consecutive odd stream IDs, removed in opening order")
    func slidingWindow() {
        var map = StreamMap<Int32>()
        var id: Int32 = 1
        var oldest: Int32 = 1
        for _ in 0..<50_000 {
            map[id] = id
            id += 2
            if map.count > 100 {
                #expect(map.removeValue(forKey: oldest) == oldest)
                oldest += 2
            }
        }
        #expect(map.count == 100)
        var probe = oldest
        while probe < id {
            #expect(map[probe] == probe)
            probe += 2
        }
    }
}
