/// Which fields of one JSON object were seen, by index in the schema.
struct SeenFields {
    private var low: UInt64 = 0
    private var high: Set<Int> = []

    /// Records `index`; `false` if it was recorded before.
    mutating func insert(_ index: Int) -> Bool {
        if index < 64 {
            let bit: UInt64 = 1 << UInt64(index)
            defer { low |= bit }
            return low & bit == 0
        }
        return high.insert(index).inserted
    }
}
