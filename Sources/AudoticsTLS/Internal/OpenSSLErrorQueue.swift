internal import COpenSSL

/// OpenSSL's thread-local error queue, turned into `TLSError` in one place.
enum OpenSSLErrorQueue {
    /// Removes and formats every queued error, oldest first.
    static func drain() -> [String] {
        var errors: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { return errors }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            errors.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }

    /// Discards queued errors after an expected failure (e.g. a signature that does not verify).
    static func clear() {
        ERR_clear_error()
    }

    /// A `TLSError` carrying the drained queue.
    static func error(_ code: TLSError.Code, _ message: String) -> TLSError {
        TLSError(code: code, message: message, openSSLErrors: drain())
    }
}
