import AudoticsCompression

/// Deterministic pseudo-random bytes (xorshift64*), so failures reproduce.
enum TestBytes {
    static func random(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return UInt8(truncatingIfNeeded: (state &* 0x2545_F491_4F6C_DD1D) >> 56)
        }
    }
}

/// The code of the `CompressionError` that `body` throws, or nil if it throws nothing (or something else).
enum TestErrors {
    static func code(_ body: () throws -> Any) -> CompressionError.Code? {
        do {
            _ = try body()
            return nil
        } catch let error as CompressionError {
            return error.code
        } catch {
            return nil
        }
    }
}
