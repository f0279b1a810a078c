internal import CZlib

/// The zlib library this process runs with.
public enum ZlibLibrary {
    /// The runtime version, for example `1.2.13`.
    public static var version: String { String(cString: zlibVersion()) }
}
