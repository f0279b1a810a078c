internal import CAudoticsShims
internal import COpenSSL

extension TLSEngine {
    /// Encrypts `plaintext` into records waiting in `drainCiphertext(into:)`.
    ///
    /// Before the handshake completes the bytes are kept and encrypted as soon as it does. Each call makes at
    /// least one record, so batch small writes before calling.
    public func write(plaintext: UnsafeRawBufferPointer) throws(TLSError) {
        if case .failed(let error) = phase { throw error }
        guard !closeRequested else { throw TLSError(code: .closed, message: "cannot write plaintext after shutdown()") }
        guard !plaintext.isEmpty else { return }
        guard isHandshakeComplete else { return plaintextBeforeHandshake.append(contentsOf: plaintext) }
        try encrypt(plaintext)
    }

    /// Encrypts `plaintext`; see `write(plaintext: UnsafeRawBufferPointer)`.
    public func write(plaintext: [UInt8]) throws(TLSError) {
        try plaintext.withUnsafeBytes { bytes in Result { () throws(TLSError) in try write(plaintext: bytes) } }.get()
    }

    /// Bytes waiting to be sent to the peer.
    public var pendingCiphertextCount: Int { Int(audotics_BIO_pending(networkOutput)) }

    /// Moves up to `buffer.count` bytes waiting to be sent into `buffer`, returning how many.
    ///
    /// Size the buffer with `pendingCiphertextCount` to take everything in one call.
    public func drainCiphertext(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        return max(0, Int(BIO_read(networkOutput, base, Int32(clamping: buffer.count))))
    }

    /// Appends every byte waiting to be sent to `ciphertext`.
    public func drainCiphertext(into ciphertext: inout [UInt8]) {
        let pending = pendingCiphertextCount
        guard pending > 0 else { return }
        let start = ciphertext.count
        ciphertext.append(contentsOf: repeatElement(0, count: pending))
        let moved = ciphertext.withUnsafeMutableBytes { bytes in
            drainCiphertext(into: UnsafeMutableRawBufferPointer(rebasing: bytes[start...]))
        }
        ciphertext.removeLast(pending - moved)
    }

    /// Queues close_notify: no more plaintext will be written. Reading continues until the peer's
    /// close_notify (`.endOfStream`). During the handshake, close_notify follows as soon as it completes,
    /// after any plaintext written before; after a failure this does nothing.
    public func shutdown() throws(TLSError) {
        guard !closeRequested, failure == nil else { return }
        closeRequested = true
        if isHandshakeComplete { try sendCloseNotify() }
    }

    /// Encrypts `plaintext` now; the handshake is complete. A memory BIO never refuses bytes, so OpenSSL
    /// writes everything or fails.
    func encrypt(_ plaintext: UnsafeRawBufferPointer) throws(TLSError) {
        OpenSSLErrorQueue.clearBeforeIO()
        var written = 0
        let result = SSL_write_ex(ssl, plaintext.baseAddress, plaintext.count, &written)
        guard result == 1 else { throw fail(failure(reason: SSL_get_error(ssl, result))) }
    }

    /// Writes close_notify (`SSL_shutdown` returns 0 when it sent ours and still awaits the peer's).
    func sendCloseNotify() throws(TLSError) {
        OpenSSLErrorQueue.clearBeforeIO()
        let result = SSL_shutdown(ssl)
        guard result >= 0 else { throw fail(failure(reason: SSL_get_error(ssl, result))) }
    }
}
