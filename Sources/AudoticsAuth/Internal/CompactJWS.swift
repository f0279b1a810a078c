internal import AudoticsTLS
internal import FoundationEssentials

/// A compact JWS split into its three parts and decoded (RFC 7515 §7.1), before any verification.
struct CompactJWS {
    /// The decoded protected header.
    var header: JOSEHeader
    /// The payload bytes (JSON claims, not yet trusted).
    var payload: [UInt8]
    /// The signature bytes.
    var signature: [UInt8]
    /// The bytes the signature covers: ASCII `base64url(header) || '.' || base64url(payload)`.
    var signingInput: [UInt8]

    /// The longest token accepted, in bytes: far above any real access token, low enough to bound the work an
    /// attacker can cause before the signature is checked.
    static let maximumLength = 8 * 1024

    /// Splits and decodes `token`; throws `malformedToken` (messages never quote the token).
    init(parsing token: String) throws(AuthError) {
        let bytes = Array(token.utf8)
        guard bytes.count <= Self.maximumLength else { throw Self.malformed("it is longer than \(Self.maximumLength) bytes") }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw Self.malformed("it has \(parts.count) dot-separated segments; a JWS in compact form has 3")
        }
        guard let headerBytes = Base64URL.decode(String(decoding: parts[0], as: UTF8.self)) else {
            throw Self.malformed("its header is not base64url")
        }
        guard let payload = Base64URL.decode(String(decoding: parts[1], as: UTF8.self)) else {
            throw Self.malformed("its payload is not base64url")
        }
        guard let signature = Base64URL.decode(String(decoding: parts[2], as: UTF8.self)) else {
            throw Self.malformed("its signature is not base64url")
        }
        do {
            header = try JSONDecoder().decode(JOSEHeader.self, from: Data(headerBytes))
        } catch {
            throw Self.malformed("its header is not a JSON object with a string 'alg'")
        }
        self.payload = payload
        self.signature = signature
        signingInput = Array(bytes[..<(parts[1].endIndex)])
    }

    /// Builds the signing input of a new token from its header and payload JSON.
    static func signingInput(header: [UInt8], payload: [UInt8]) -> String {
        Base64URL.encode(header) + "." + Base64URL.encode(payload)
    }

    private static func malformed(_ what: String) -> AuthError {
        AuthError(code: .malformedToken, message: "the access token is malformed: \(what)")
    }
}
