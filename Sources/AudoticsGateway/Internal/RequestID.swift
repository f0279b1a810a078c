#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Request IDs: the client's `X-Request-ID` when it is usable, else 16 random bytes in hex.
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
        var bits = randomBits.withLock { $0.next() }
        return withUnsafeBytes(of: &bits) { hex($0) }
    }

    /// Bytes in hex, lower case.
    static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            var index = 0
            for byte in bytes {
                buffer[index] = digits.utf8Start[Int(byte >> 4)]
                buffer[index + 1] = digits.utf8Start[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    private static let randomBits = Mutex(RandomBits())

    /// Random bits from glibc's `arc4random_buf` (the kernel's CSPRNG through `getrandom`), read 4 KiB at a time:
    /// one system call per 256 IDs instead of two per request.
    struct RandomBits: ~Copyable {
        private var words = [UInt64](repeating: 0, count: 512)
        private var position = 512

        mutating func next() -> (UInt64, UInt64) {
            if position + 2 > words.count {
                words.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
                position = 0
            }
            defer { position += 2 }
            return (words[position], words[position + 1])
        }
    }
}
