internal import CProtobufC

/// The protobuf-c library this process runs with.
public enum ProtobufCLibrary {
    /// The runtime version, for example `1.4.1`.
    public static var version: String { String(cString: protobuf_c_version()) }
}
