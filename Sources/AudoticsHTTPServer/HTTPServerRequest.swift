/// A complete request as the server received it, whatever the protocol: head and whole body.
public struct HTTPServerRequest: Sendable {
    /// The method, e.g. `GET` (as received; methods are case-sensitive).
    public var method: String
    /// The raw request target, path and query (`/v1/tracks/1?x=y`), exactly as received: not decoded.
    /// HTTP/2's `:path`.
    public var target: String
    /// The header fields in the order received, names lower-cased, repeated names kept. HTTP/2's pseudo-header
    /// fields are not here, except `:authority`, which becomes `host`; HTTP/2 cookie fields are joined into one.
    public var headers: [(name: String, value: String)]
    /// The whole body (at most `HTTPServerConfiguration.Limits.maxBodyBytes`).
    public var body: [UInt8]
    /// The protocol version.
    public var version: HTTPVersion
    /// The client's address, `127.0.0.1:54321` or `[::1]:54321`.
    public var remoteAddress: String
    /// Whether the request came over TLS.
    public var isSecure: Bool

    /// Creates a request (the server makes them; tests and the gateway's own tests may too).
    public init(
        method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        version: HTTPVersion = .http1_1, remoteAddress: String = "127.0.0.1:0", isSecure: Bool = false
    ) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.version = version
        self.remoteAddress = remoteAddress
        self.isSecure = isSecure
    }

    /// The first value of the header `name` (compared case-insensitively), or nil.
    public func header(_ name: String) -> String? {
        for field in headers where Self.equalsIgnoringASCIICase(field.name, name) { return field.value }
        return nil
    }

    /// A field name in lower case; the same string, with no new one made, when it already is (the usual case).
    static func lowercasedName(_ name: String) -> String {
        var copy = name
        let hasUpper = copy.withUTF8 { bytes in bytes.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } }
        return hasUpper ? name.lowercased() : name
    }

    /// Whether `a` and `b` are equal ignoring ASCII case (header names are ASCII; no Unicode folding).
    static func equalsIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { left in
            b.withUTF8 { right in
                guard left.count == right.count else { return false }
                for index in 0..<left.count where left[index] != right[index] {
                    let l = left[index] | 0x20
                    guard l == right[index] | 0x20, l >= UInt8(ascii: "a"), l <= UInt8(ascii: "z") else { return false }
                }
                return true
            }
        }
    }
}
