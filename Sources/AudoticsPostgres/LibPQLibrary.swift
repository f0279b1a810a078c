internal import CLibPQ

/// The libpq client library this process runs with.
public enum LibPQLibrary {
    /// The version, for example `15.18`.
    public static var version: String {
        let number = Int(PQlibVersion())
        return "\(number / 10_000).\(number % 10_000)"
    }
}
