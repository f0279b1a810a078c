internal import COpenSSL

/// OpenSSL's thread-local error queue, turned into `TLSError` in one place.
enum OpenSSLErrorQueue {
    /// Removes and formats every queued error, oldest first.
    static func drain() -> [String] {
        drainEntries().map(\.text)
    }

    /// Removes every queued error, oldest first, with its packed code (for `ERR_GET_REASON`) and its text.
    static func drainEntries() -> [(code: UInt, text: String)] {
        var errors: [(code: UInt, text: String)] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { return errors }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            errors.append((code, String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
        }
    }

    /// Discards queued errors after an expected failure (e.g. a signature that does not verify).
    static func clear() {
        ERR_clear_error()
    }

    /// Empties the queue before an `SSL_*` I/O call, as `SSL_get_error` requires, cheaply: `ERR_clear_error`
    /// walks all sixteen slots (about 12% of a 1-byte-record workload in a profile), `ERR_peek_error` only
    /// looks at the top, and the queue is almost always empty because every failure drains it.
    @inline(__always)
    static func clearBeforeIO() {
        if ERR_peek_error() != 0 { ERR_clear_error() }
    }

    /// A `TLSError` carrying the drained queue.
    static func error(_ code: TLSError.Code, _ message: String) -> TLSError {
        TLSError(code: code, message: message, openSSLErrors: drain())
    }
}
