internal import CHiredis

/// The hiredis library this process was built against.
public enum HiredisLibrary {
    /// The version, for example `0.14.1`.
    public static var version: String { "\(HIREDIS_MAJOR).\(HIREDIS_MINOR).\(HIREDIS_PATCH)" }
}
