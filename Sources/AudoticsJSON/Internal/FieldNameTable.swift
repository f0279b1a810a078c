import Glibc

/// Every field's lowerCamelCase and proto names in one buffer, searched without reference counting.
struct FieldNameTable: Sendable {
    /// The names, back to back.
    private let bytes: [UInt8]
    /// Per field: where its JSON name and its proto name start and how long they are.
    private let entries: [(jsonStart: Int32, jsonCount: Int32, protoStart: Int32, protoCount: Int32)]

    init(_ protoNames: [[UInt8]]) {
        var bytes: [UInt8] = []
        var entries: [(Int32, Int32, Int32, Int32)] = []
        for protoName in protoNames {
            let json = FieldSchema.lowerCamelCase(protoName)
            let jsonStart = Int32(bytes.count)
            bytes += json
            let protoStart = Int32(bytes.count)
            bytes += protoName
            entries.append((jsonStart, Int32(json.count), protoStart, Int32(protoName.count)))
        }
        self.bytes = bytes
        self.entries = entries
    }

    func find(_ name: UnsafeRawBufferPointer, hint: Int) -> Int? {
        let count = entries.count
        guard count > 0 else { return nil }
        return bytes.withUnsafeBytes { bytes in
            entries.withUnsafeBufferPointer { entries in
                let start = hint < count ? hint : 0
                var index = start
                repeat {
                    let entry = entries[index]
                    if Int(entry.jsonCount) == name.count,
                        name.count == 0 || memcmp(bytes.baseAddress! + Int(entry.jsonStart), name.baseAddress!, name.count) == 0
                    {
                        return index
                    }
                    if Int(entry.protoCount) == name.count,
                        name.count == 0 || memcmp(bytes.baseAddress! + Int(entry.protoStart), name.baseAddress!, name.count) == 0
                    {
                        return index
                    }
                    index += 1
                    if index == count { index = 0 }
                } while index != start
                return nil
            }
        }
    }
}
