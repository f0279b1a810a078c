internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG (`RAND_bytes`), for tokens, IDs and salts.
public enum SecureRandom {
    /// `count` random bytes.
    public static func bytes(count: Int) throws(TLSError) -> [UInt8] {
        guard count >= 0, count <= Int(Int32.max) else { throw TLSError(code: .invalidArgument, message: "invalid byte count \(count)") }
        var bytes = [UInt8](repeating: 0, count: count)
        guard count == 0 || RAND_bytes(&bytes, Int32(count)) == 1 else {
            throw OpenSSLErrorQueue.error(.randomSourceFailed, "RAND_bytes failed")
        }
        return bytes
    }
}
