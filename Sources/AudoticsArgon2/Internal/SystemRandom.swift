#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Salt bytes from the kernel CSPRNG through `/dev/urandom`. (`getrandom(2)` is not exported by Swift's
/// Glibc module, and this module has no C shim target; `/dev/urandom` reads the same generator.)
/// Foundation's random APIs are not used for secrets.
enum SystemRandom {
    /// `count` random bytes, or `randomSourceFailed` if the device cannot be read.
    static func bytes(count: Int) throws(Argon2Error) -> [UInt8] {
        let descriptor = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw Argon2Error(code: .randomSourceFailed, message: "cannot open /dev/urandom (errno \(errno))")
        }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + filled, count - filled)
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                throw Argon2Error(code: .randomSourceFailed, message: "cannot read /dev/urandom (errno \(errno))")
            }
            filled += result
        }
        return bytes
    }
}
