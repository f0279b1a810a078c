import Glibc

/// Turns received header names and values into Strings cheaply.
///
/// Every request repeats the same fields (`:method POST`, `content-type application/grpc`, the same `:path` and
/// `user-agent` call after call). Names and values that HTTP/2 and gRPC define are returned as string literals
/// (no allocation, no reference counting), and for each well-known name the last value seen is kept and returned
/// again when the next one has the same bytes. Anything else is decoded as usual.
struct HeaderStrings {
    /// The last value received for each well-known name, by the name's slot.
    private var lastValues: [String?] = Array(repeating: nil, count: Self.slotCount)

    /// The name and value as Strings, and the name's slot for the last-value cache.
    mutating func strings(
        name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>
    ) -> (name: String, value: String) {
        guard let (nameString, slot) = Self.wellKnownName(name) else {
            return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
        if let literal = Self.wellKnownValue(value) { return (nameString, literal) }
        if let last = lastValues[slot], Self.equal(value, last) { return (nameString, last) }
        let decoded = String(decoding: value, as: UTF8.self)
        // Only short values are worth keeping (long ones are unlikely to repeat byte for byte, and must not pin
        // memory), except a bearer token, which a client sends with every request of its connection (1 KiB at most
        // per connection).
        if value.count <= (slot == Self.authorizationSlot ? 1024 : 256) { lastValues[slot] = decoded }
        return (nameString, decoded)
    }

    private static let slotCount = 16
    private static let authorizationSlot = 12

    /// A well-known header name as a literal, with its cache slot.
    private static func wellKnownName(_ bytes: UnsafeBufferPointer<UInt8>) -> (String, Int)? {
        switch bytes.count {
        case 2: if same(bytes, "te") { return ("te", 0) }
        case 5: if same(bytes, ":path") { return (":path", 1) }
        case 7:
            if same(bytes, ":method") { return (":method", 2) }
            if same(bytes, ":scheme") { return (":scheme", 3) }
            if same(bytes, ":status") { return (":status", 4) }
        case 10:
            if same(bytes, ":authority") { return (":authority", 5) }
            if same(bytes, "user-agent") { return ("user-agent", 6) }
        case 11: if same(bytes, "grpc-status") { return ("grpc-status", 7) }
        case 12:
            if same(bytes, "content-type") { return ("content-type", 8) }
            if same(bytes, "grpc-timeout") { return ("grpc-timeout", 9) }
            if same(bytes, "grpc-message") { return ("grpc-message", 10) }
        case 13:
            if same(bytes, "grpc-encoding") { return ("grpc-encoding", 11) }
            if same(bytes, "authorization") { return ("authorization", 12) }
        case 14: if same(bytes, "content-length") { return ("content-length", 13) }
        case 15: if same(bytes, "accept-encoding") { return ("accept-encoding", 14) }
        case 20: if same(bytes, "grpc-accept-encoding") { return ("grpc-accept-encoding", 15) }
        default: break
        }
        return nil
    }

    /// A value that HTTP/2 or gRPC defines, as a literal.
    private static func wellKnownValue(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        switch bytes.count {
        case 1: if same(bytes, "0") { return "0" }
        case 3: if same(bytes, "200") { return "200" }
        case 4:
            if same(bytes, "POST") { return "POST" }
            if same(bytes, "http") { return "http" }
            if same(bytes, "gzip") { return "gzip" }
        case 5: if same(bytes, "https") { return "https" }
        case 7: if same(bytes, "deflate") { return "deflate" }
        case 8:
            if same(bytes, "trailers") { return "trailers" }
            if same(bytes, "identity") { return "identity" }
        case 16: if same(bytes, "application/grpc") { return "application/grpc" }
        case 21: if same(bytes, "identity,deflate,gzip") { return "identity,deflate,gzip" }
        default: break
        }
        return nil
    }

    private static func same(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        memcmp(bytes.baseAddress!, literal.utf8Start, bytes.count) == 0
    }

    private static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ string: String) -> Bool {
        guard string.utf8.count == bytes.count else { return false }
        return string.utf8.withContiguousStorageIfAvailable { utf8 in
            bytes.isEmpty || memcmp(utf8.baseAddress!, bytes.baseAddress!, bytes.count) == 0
        } ?? string.utf8.elementsEqual(bytes)
    }
}
