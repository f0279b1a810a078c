internal import CNghttp2

/// Facts about the nghttp2 library this process is linked against.
public enum HTTP2Library {
    /// nghttp2's version string, e.g. `1.52.0`.
    public static var version: String {
        guard let info = nghttp2_version(0) else { return "unknown" }
        return String(cString: info.pointee.version_str)
    }

    /// nghttp2's version as a number, `0xMMmmpp` (1.52.0 is `0x013400`).
    public static var versionNumber: Int {
        guard let info = nghttp2_version(0) else { return 0 }
        return Int(info.pointee.version_num)
    }
}
