internal import COpenSSL

/// The OpenSSL library this process runs with.
public enum OpenSSLLibrary {
    /// The runtime version text, for example `OpenSSL 3.0.19 27 Jan 2026`.
    public static var version: String { String(cString: OpenSSL_version(Int32(OPENSSL_VERSION))) }
}
