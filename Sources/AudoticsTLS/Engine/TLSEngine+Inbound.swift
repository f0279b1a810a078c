internal import COpenSSL

extension TLSEngine {
    /// What a read produced.
    public enum ReadResult: Sendable, Hashable {
        /// This many plaintext bytes were read; more may be available.
        case bytes(Int)
        /// Nothing more until more ciphertext arrives (also while the handshake is still running).
        case needsMoreCiphertext
        /// The peer sent close_notify: its side of the stream is finished.
        case endOfStream
    }

    /// Feeds bytes received from the network and advances the handshake if it is still running.
    ///
    /// Application data stays buffered until `readPlaintext(into:)`; the bytes are copied, so `ciphertext`
    /// may be reused as soon as this returns.
    public func receive(_ ciphertext: UnsafeRawBufferPointer) throws(TLSError) {
        if case .failed(let error) = phase { throw error }
        var remaining = ciphertext
        while let base = remaining.baseAddress, !remaining.isEmpty {
            let chunk = Int32(clamping: remaining.count)
            let written = BIO_write(networkInput, base, chunk)
            guard written > 0 else { throw fail(OpenSSLErrorQueue.error(.cryptoFailure, "cannot buffer received bytes")) }
            remaining = UnsafeRawBufferPointer(rebasing: remaining[Int(written)...])
        }
        if case .handshaking = phase { try advanceHandshake() }
    }

    /// Feeds bytes received from the network; see `receive(_: UnsafeRawBufferPointer)`.
    public func receive(_ ciphertext: [UInt8]) throws(TLSError) {
        try ciphertext.withUnsafeBytes { bytes in Result { () throws(TLSError) in try receive(bytes) } }.get()
    }

    /// Decrypts up to `buffer.count` bytes (at most one record's worth) straight into `buffer`.
    ///
    /// Call until it returns something other than `.bytes` to drain everything received so far. Pass a
    /// non-empty buffer (an empty one reads nothing and returns `.bytes(0)`); 16 KiB holds any record.
    public func readPlaintext(into buffer: UnsafeMutableRawBufferPointer) throws(TLSError) -> ReadResult {
        switch phase {
        case .failed(let error):
            throw error
        case .handshaking:
            try advanceHandshake()
            guard isHandshakeComplete else { return .needsMoreCiphertext }
        case .established:
            break
        }
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return .bytes(0) }
        OpenSSLErrorQueue.clearBeforeIO()
        var count = 0
        let result = SSL_read_ex(ssl, base, buffer.count, &count)
        if result == 1 { return .bytes(count) }
        let reason = SSL_get_error(ssl, result)
        switch reason {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return .needsMoreCiphertext
        case SSL_ERROR_ZERO_RETURN: return .endOfStream
        default: throw fail(failure(reason: reason))
        }
    }

    /// Decrypts everything received so far and appends it to `plaintext`.
    ///
    /// Returns `.endOfStream` once the peer's close_notify has been read, otherwise `.needsMoreCiphertext`
    /// (never `.bytes`: the appended count is `plaintext`'s growth).
    @discardableResult
    public func readPlaintext(into plaintext: inout [UInt8]) throws(TLSError) -> ReadResult {
        let buffer = recordBuffer()
        while true {
            switch try readPlaintext(into: buffer) {
            case .bytes(let count):
                plaintext.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            case let done:
                return done
            }
        }
    }

    /// The engine's record-sized read buffer, allocated once per engine on first use.
    private func recordBuffer() -> UnsafeMutableRawBufferPointer {
        if let scratch { return scratch }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.maximumRecordPlaintext, alignment: 16)
        scratch = buffer
        return buffer
    }

    /// The most plaintext one TLS record carries (RFC 8446 §5.1), so one `SSL_read` never needs more.
    static let maximumRecordPlaintext = 16_384
}
