internal import COpenSSL

/// HMAC-SHA256 (RFC 2104) through OpenSSL, e.g. for hashing refresh tokens with a server key.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) throws(TLSError) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        // OpenSSL rejects a NULL key pointer even with length 0, so an empty key points at a dummy byte.
        let keyBytes = key.isEmpty ? [0] : key
        guard HMAC(EVP_sha256(), keyBytes, Int32(key.count), message, message.count, &code, &length) != nil, length == 32 else {
            throw OpenSSLErrorQueue.error(.cryptoFailure, "HMAC-SHA256 failed")
        }
        return code
    }

    /// Whether `code` is the authentication code of `message` under `key`, compared in constant time.
    public static func isValidAuthenticationCode(_ code: [UInt8], for message: [UInt8], key: [UInt8]) throws(TLSError) -> Bool {
        ConstantTime.equals(try authenticationCode(for: message, key: key), code)
    }
}
