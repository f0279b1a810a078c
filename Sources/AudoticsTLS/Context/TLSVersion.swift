/// A TLS protocol version this module speaks: 1.2 or 1.3, never anything older.
public enum TLSVersion: String, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// TLS 1.2 (RFC 5246).
    case tls12
    /// TLS 1.3 (RFC 8446).
    case tls13

    /// `TLS 1.2` or `TLS 1.3`.
    public var description: String { self == .tls12 ? "TLS 1.2" : "TLS 1.3" }

    /// Orders versions oldest first.
    public static func < (lhs: TLSVersion, rhs: TLSVersion) -> Bool { lhs == .tls12 && rhs == .tls13 }
}
