/// Which of a handler's response fields the server sends, and whether a response has a body: the framing
/// rules both protocols share.
enum ResponseFields {
    /// Fields the server writes itself (`content-length`) or that the framing forbids (`transfer-encoding`: the
    /// server sends whole bodies with a length).
    static func isFramingField(_ name: String) -> Bool {
        // By length first: every response field passes through here, and few have these lengths.
        switch name.utf8.count {
        case 14: HTTPServerRequest.equalsIgnoringASCIICase(name, "content-length")
        case 17: HTTPServerRequest.equalsIgnoringASCIICase(name, "transfer-encoding")
        default: false
        }
    }

    /// Connection-specific fields (RFC 9113 §8.2.2): never sent on HTTP/2; on HTTP/1 the server decides them.
    static func isConnectionField(_ name: String) -> Bool {
        switch name.utf8.count {
        case 10: HTTPServerRequest.equalsIgnoringASCIICase(name, "connection") || HTTPServerRequest.equalsIgnoringASCIICase(name, "keep-alive")
        case 16: HTTPServerRequest.equalsIgnoringASCIICase(name, "proxy-connection")
        case 7: HTTPServerRequest.equalsIgnoringASCIICase(name, "upgrade")
        case 2: HTTPServerRequest.equalsIgnoringASCIICase(name, "te")
        default: false
        }
    }

    /// Whether `name` is an RFC 9110 token and `value` holds no CR, LF or NUL: anything else could split the
    /// response or smuggle a second one, so such a field is dropped.
    static func isSafe(name: String, value: String) -> Bool {
        guard !name.isEmpty else { return false }
        // Over contiguous UTF-8 (a small string's copied to the stack): `String.UTF8View` byte by byte costs more.
        var name = name
        let tokenName = name.withUTF8 { bytes in
            var outside: UInt64 = 0
            for byte in bytes { outside |= isTokenByte(byte) ? 0 : 1 }
            return outside == 0
        }
        guard tokenName else { return false }
        var value = value
        return value.withUTF8 { bytes in
            // Without an early exit the loop vectorizes.
            var found: UInt8 = 0
            for byte in bytes { found |= byte == 0x0D || byte == 0x0A || byte == 0 ? 1 : 0 }
            return found == 0
        }
    }

    /// Whether `byte` may appear in an RFC 9110 token: a-z, A-Z, 0-9 and ``!#$%&'*+-.^_`|~``, as two bit masks
    /// (bytes 0–63 and 64–127; nothing above is a token byte).
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        let low: UInt64 = 0x03FF_6CFA_0000_0000
        let high: UInt64 = 0x57FF_FFFF_C7FF_FFFE
        let mask = byte < 64 ? low : (byte < 128 ? high : 0)
        return (mask >> UInt64(byte & 63)) & 1 == 1
    }

    /// The status to send: the handler's when it is a final status (200...999), else 500.
    static func finalStatus(_ status: Int) -> Int {
        (200...999).contains(status) ? status : 500
    }

    /// Whether a response with `status` carries a body at all (not 204 and 304; 1xx never reach here).
    static func hasBody(status: Int) -> Bool {
        status != 204 && status != 304
    }

    /// Whether a `content-length` goes with `status` (every final status but 204 and 304).
    static func hasContentLength(status: Int) -> Bool {
        status != 204 && status != 304
    }
}
