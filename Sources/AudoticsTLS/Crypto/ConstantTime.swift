internal import COpenSSL

/// Comparisons whose running time does not depend on where the inputs differ (`CRYPTO_memcmp`).
public enum ConstantTime {
    /// Whether `lhs` and `rhs` are equal. Only the lengths (which are not secret for MACs and hashes) may leak.
    public static func equals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard !lhs.isEmpty else { return true }
        return CRYPTO_memcmp(lhs, rhs, lhs.count) == 0
    }
}
