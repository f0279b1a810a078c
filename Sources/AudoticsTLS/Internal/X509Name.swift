internal import CAudoticsShims
internal import COpenSSL

/// Formats OpenSSL's `X509_NAME` values.
enum X509Name {
    /// The name in RFC 2253 form (`CN=localhost,O=Audotics`), or nil when OpenSSL cannot print it.
    static func rfc2253(_ name: OpaquePointer?) -> String? {
        guard let name, let bio = BIO_new(BIO_s_mem()) else { return nil }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, audotics_XN_FLAG_RFC2253()) >= 0 else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        let count = Int(audotics_BIO_pending(bio))
        return String(unsafeUninitializedCapacity: count) { buffer in
            Int(max(0, BIO_read(bio, buffer.baseAddress, Int32(count))))
        }
    }
}
