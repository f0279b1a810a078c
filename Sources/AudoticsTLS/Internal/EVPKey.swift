internal import CAudoticsShims
internal import COpenSSL

/// The single owner of one `EVP_PKEY` reference, freed in `deinit`.
///
/// `@unchecked Sendable` is safe: the key is never mutated after creation, and OpenSSL 3 documents
/// concurrent read-only use of an `EVP_PKEY` (signing and verifying each use their own `EVP_MD_CTX`)
/// as thread-safe. The pointer is never handed out for mutation.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Whether the key is an Ed25519 key.
    var isEd25519: Bool { EVP_PKEY_get_base_id(pointer) == EVP_PKEY_ED25519 }

    /// The 32-byte raw public key.
    func rawPublicKey() throws(TLSError) -> [UInt8] {
        var length = 32
        var bytes = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_get_raw_public_key(pointer, &bytes, &length) == 1, length == 32 else {
            throw OpenSSLErrorQueue.error(.invalidKey, "cannot export the raw public key")
        }
        return bytes
    }

    /// Reads all bytes a PEM writer put into a fresh memory BIO.
    static func pem(_ write: (OpaquePointer) -> Int32) throws(TLSError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLErrorQueue.error(.cryptoFailure, "BIO_new failed") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw OpenSSLErrorQueue.error(.cryptoFailure, "cannot write the key as PEM") }
        let count = Int(audotics_BIO_pending(bio))
        var bytes = [UInt8](repeating: 0, count: count)
        guard BIO_read(bio, &bytes, Int32(count)) == Int32(count) else {
            throw OpenSSLErrorQueue.error(.cryptoFailure, "cannot read the PEM output")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses PEM text with `read`, which receives a read-only memory BIO.
    static func parsePEM(_ text: String, _ read: (OpaquePointer) -> OpaquePointer?) -> OpaquePointer? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { buffer -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return read(bio)
        }
    }
}

/// A PEM password callback that supplies no password, so an encrypted key fails instead of OpenSSL
/// prompting on the terminal (its default).
let noPasswordCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = { _, _, _, _ in
    0
}
