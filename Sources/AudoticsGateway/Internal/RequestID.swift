/// Request IDs: the client's `X-Request-ID` when it is reasonable, otherwise a new random one.
enum RequestID {
    /// The longest client-chosen ID kept.
    static let maxLength = 128

    /// `header` if it is 1–128 visible ASCII characters, else 16 random bytes in hex.
    static func make(from header: String?) -> String {
        if let header, !header.isEmpty, header.utf8.count <= maxLength,
            header.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        {
            return header
        }
        // SystemRandomNumberGenerator reads the kernel's CSPRNG (getrandom on Linux).
        // Two 64-bit draws (two getrandom calls), not one per byte.
        var generator = SystemRandomNumberGenerator()
        let (high, low) = (generator.next(), generator.next())
        return hex((0..<16).map { index in UInt8(truncatingIfNeeded: (index < 8 ? high : low) >> (UInt64(index % 8) * 8)) })
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
