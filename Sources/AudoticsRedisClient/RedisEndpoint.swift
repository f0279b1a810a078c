public import AudoticsRedis

/// Where a Redis server is and how to log in: parsed from `redis://[[username]:password@]host[:port][/db]`.
///
/// The password is sent with `AUTH` on every new connection and the database chosen with `SELECT`; neither
/// appears in `description`.
public struct RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The host name or IP address (IPv6 in brackets in the URL, without them here).
    public var host: String
    /// The TCP port; 6379 when the URL has none.
    public var port: Int
    /// The ACL user name for `AUTH username password` (Redis 6+), or nil for plain `AUTH password`.
    public var username: String?
    /// The password for `AUTH`, or nil to skip authentication.
    public var password: String?
    /// The database number for `SELECT`; 0 (Redis's default, no `SELECT` sent) when the URL has none.
    public var database: Int

    /// Creates an endpoint from its parts.
    public init(host: String, port: Int = 6379, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses a `redis://` URL; throws `invalidCommand` naming what is wrong (never echoing the password).
    public init(url: String) throws(RedisError) {
        func invalid(_ reason: String) -> RedisError {
            RedisError(code: .invalidCommand, message: "invalid Redis URL: \(reason)")
        }
        guard url.hasPrefix("redis://") else { throw invalid("it must start with redis://") }
        var rest = Substring(url.dropFirst("redis://".count))
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        let path = rest.firstIndex(of: "/").map { rest[$0...].dropFirst() } ?? ""
        var authority = rest.prefix { $0 != "/" }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = Self.percentDecoded(userInfo[..<colon])
                username = user.isEmpty ? nil : user
                password = Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
            } else if !userInfo.isEmpty {
                // `redis://secret@host` is how several clients spell a password without a user.
                password = Self.percentDecoded(userInfo)
            }
        }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid("unterminated IPv6 address") }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            authority = authority[authority.index(after: close)...]
            guard authority.isEmpty || authority.hasPrefix(":") else { throw invalid("junk after the IPv6 address") }
            port = 6379
            if authority.hasPrefix(":") {
                guard let number = Int(authority.dropFirst()), (1...65535).contains(number) else { throw invalid("bad port") }
                port = number
            }
        } else {
            let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = String(parts[0])
            port = 6379
            if parts.count == 2 {
                guard let number = Int(parts[1]), (1...65535).contains(number) else { throw invalid("bad port") }
                port = number
            }
        }
        guard !host.isEmpty else { throw invalid("no host") }
        database = 0
        if !path.isEmpty {
            guard let number = Int(path), number >= 0 else { throw invalid("the path must be a database number") }
            database = number
        }
    }

    /// `redis://host:port/db`, with any user name but without the password.
    public var description: String {
        let user = username.map { "\($0):***@" } ?? (password == nil ? "" : ":***@")
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "redis://\(user)\(hostText):\(port)/\(database)"
    }

    /// Decodes `%XX` escapes (passwords with `@`, `:` or `/` must be escaped in a URL).
    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%"), let high = iterator.next() else {
                bytes.append(byte)
                continue
            }
            guard let low = iterator.next() else {
                bytes += [byte, high]
                continue
            }
            if let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes += [byte, high, low]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
